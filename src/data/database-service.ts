import type { Catalog, DatabaseRecord, TableRecord } from '../catalog/index.js'
import { INTERNAL_DATABASE } from '../catalog/index.js'
import { FluxgateError } from '../errors/index.js'
import type { Clock } from '../shared/index.js'
import type { ColumnDef, DatabaseStorage, StorageEngine } from '../storage/index.js'
import { columnLimitMessage, tableLimitMessage } from './limit-messages.js'

/** How long a soft-deleted database waits before its data goes, by default (72 h). */
export const defaultHardDeleteDelayMs = 72 * 3_600_000

/**
 * The life of databases and tables across the catalog (metadata) and storage (data). Handlers
 * call this instead of touching either directly.
 */
export class DatabaseService {
  readonly catalog: Catalog
  readonly #engine: StorageEngine
  readonly #clock: Clock
  readonly #open = new Map<number, Promise<DatabaseStorage>>()

  constructor(catalog: Catalog, engine: StorageEngine, clock: Clock) {
    this.catalog = catalog
    this.#engine = engine
    this.#clock = clock
  }

  /** The storage of an active database, opened once and then shared. */
  storageOf(db: DatabaseRecord): Promise<DatabaseStorage> {
    const opened = this.#open.get(db.id)
    if (opened !== undefined) return opened

    const opening = this.#engine.open(storageKey(db))
    this.#open.set(db.id, opening)
    opening.catch(() => this.#open.delete(db.id))
    return opening
  }

  /** Creates a database (name rules, duplicates and the limit are checked by the catalog). */
  createDatabase(name: string, retentionNanos?: bigint): DatabaseRecord {
    return this.catalog.createDatabase(name, retentionNanos)
  }

  /** Soft-deletes a database; its data is removed at `hardDeleteAt`, or now when that has passed. */
  async deleteDatabase(name: string, hardDeleteAt: Date | undefined): Promise<void> {
    const db = this.catalog.softDeleteDatabase(name, hardDeleteAt)
    if (hardDeleteAt !== undefined && hardDeleteAt.getTime() <= this.#clock.now().getTime()) {
      await this.purge(db)
    }
  }

  /** Removes the data of a deleted database and forgets it. */
  async purge(db: DatabaseRecord): Promise<void> {
    const open = this.#open.get(db.id)
    this.#open.delete(db.id)
    if (open !== undefined) await (await open).close().catch(() => undefined)

    await this.#engine.destroy(storageKey(db))
    this.catalog.purgeDatabase(db.id)
  }

  /**
   * Creates a table with the given tags and fields. Throws ERR_DATABASE_NOT_FOUND,
   * ERR_ALREADY_EXISTS, ERR_INVALID_NAME or ERR_LIMIT_EXCEEDED and then changes nothing.
   */
  async createTable(dbName: string, table: string, columns: ColumnDef[]): Promise<TableRecord> {
    const db = this.#userDatabase(dbName)
    if (this.catalog.findTable(db.id, table) !== undefined) {
      throw new FluxgateError(
        'ERR_ALREADY_EXISTS',
        'attempted to create a resource that already exists',
      )
    }
    assertTableLimits(this.catalog, columns)

    const allColumns: ColumnDef[] = [...columns, { name: 'time', type: 'time' }]
    await (await this.storageOf(db)).ensureColumns(table, allColumns)
    return this.catalog.createTable(db.id, table, allColumns)
  }

  /** Removes a table and its data. */
  async deleteTable(dbName: string, tableName: string): Promise<void> {
    const db = this.#userDatabase(dbName)
    const table = this.catalog.findTable(db.id, tableName)
    if (table === undefined) throw new FluxgateError('ERR_RESOURCE_NOT_FOUND', tableName)

    await (await this.storageOf(db)).dropTable(tableName)
    this.catalog.deleteTable(table)
  }

  /** Removes data past each database's retention and purges databases due for hard deletion. */
  async enforceRetention(): Promise<void> {
    const now = this.#clock.nowNanos()
    for (const db of this.catalog.listDatabases({ includeDeleted: false })) {
      if (db.retentionNanos === undefined) continue
      await (await this.storageOf(db)).deleteOlderThan(now - db.retentionNanos)
    }

    for (const db of this.catalog.databasesDueForPurge()) await this.purge(db)
  }

  /** Flushes and closes all storage, then the catalog. */
  async close(): Promise<void> {
    await this.#engine.close()
    this.catalog.close()
  }

  #userDatabase(name: string): DatabaseRecord {
    if (name === INTERNAL_DATABASE) {
      throw new FluxgateError('ERR_INTERNAL_DATABASE', 'the _internal database cannot be changed')
    }
    return this.catalog.requireDatabase(name)
  }
}

/** The storage key of a database: its id, so that renames on deletion never move data. */
function storageKey(db: DatabaseRecord): string {
  return `db-${db.id}`
}

function assertTableLimits(catalog: Catalog, columns: ColumnDef[]): void {
  const { maxTables, maxColumnsPerTable } = catalog.limits
  const tables = catalog.tableCount()
  if (tables >= maxTables) {
    throw new FluxgateError('ERR_LIMIT_EXCEEDED', tableLimitMessage(tables, maxTables))
  }
  if (columns.length > maxColumnsPerTable) {
    throw new FluxgateError('ERR_LIMIT_EXCEEDED', columnLimitMessage(maxColumnsPerTable))
  }
}
