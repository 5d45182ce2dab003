import { FluxgateError } from '../errors/index.js'
import type { Clock } from '../shared/index.js'
import type { ColumnDef } from '../storage/index.js'
import type { CatalogStore } from './catalog-store.js'
import type { CatalogLimits, DatabaseRecord, TableRecord } from './catalog-types.js'
import { INTERNAL_DATABASE } from './catalog-types.js'
import { assertValidDatabaseName } from './database-name.js'

/**
 * The metadata of every database and table, kept in memory and written through to the
 * CatalogStore on every change. All reads are synchronous map lookups.
 */
export class Catalog {
  readonly limits: CatalogLimits
  readonly #store: CatalogStore
  readonly #clock: Clock
  readonly #databasesById = new Map<number, DatabaseRecord>()
  readonly #activeByName = new Map<string, DatabaseRecord>()
  readonly #tablesByDatabase = new Map<number, Map<string, TableRecord>>()

  constructor(store: CatalogStore, limits: CatalogLimits, clock: Clock) {
    this.#store = store
    this.limits = limits
    this.#clock = clock
    this.#load()
    if (!this.#activeByName.has(INTERNAL_DATABASE))
      this.#insertDatabase(INTERNAL_DATABASE, 7n * 86_400_000_000_000n)
  }

  /** The cluster's stable id, sent as the `cluster-uuid` header. */
  get clusterId(): string {
    return this.#store.clusterId()
  }

  /** The active (not deleted) database called `name`. */
  findDatabase(name: string): DatabaseRecord | undefined {
    return this.#activeByName.get(name)
  }

  /** Databases sorted by name; soft-deleted ones only when asked. */
  listDatabases(options: { includeDeleted: boolean }): DatabaseRecord[] {
    const all = [...this.#databasesById.values()]
    const shown = options.includeDeleted ? all : all.filter((db) => db.deletedAt === undefined)
    return shown.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /**
   * Creates a database. Throws ERR_INVALID_NAME, ERR_ALREADY_EXISTS or ERR_LIMIT_EXCEEDED
   * (the reference's 422 message) and then changes nothing.
   */
  createDatabase(name: string, retentionNanos?: bigint): DatabaseRecord {
    assertValidDatabaseName(name)
    if (this.#activeByName.has(name)) {
      throw new FluxgateError(
        'ERR_ALREADY_EXISTS',
        'attempted to create a resource that already exists',
      )
    }
    this.assertRoomForDatabase()

    return this.#insertDatabase(name, retentionNanos)
  }

  /** Throws the reference's limit error when one more database would pass the limit. */
  assertRoomForDatabase(): void {
    const userDatabases = [...this.#activeByName.keys()].filter((n) => n !== INTERNAL_DATABASE)
    if (userDatabases.length >= this.limits.maxDatabases) {
      const limit = this.limits.maxDatabases
      throw new FluxgateError(
        'ERR_LIMIT_EXCEEDED',
        `Adding a new database would exceed limit of ${limit} databases`,
      )
    }
  }

  /** Sets or clears (undefined) the retention period of an active database. */
  setRetention(name: string, retentionNanos: bigint | undefined): DatabaseRecord {
    const db = this.requireDatabase(name)
    this.#store.updateRetention(db.id, retentionNanos)
    db.retentionNanos = retentionNanos
    return db
  }

  /**
   * Soft-deletes a database: it is renamed `<name>-YYYYMMDDTHHMMSS`, its name becomes free at
   * once, and its data is removed at `hardDeleteAt` (never when undefined).
   */
  softDeleteDatabase(name: string, hardDeleteAt: Date | undefined): DatabaseRecord {
    if (name === INTERNAL_DATABASE)
      throw new FluxgateError('ERR_INTERNAL_DATABASE', 'cannot delete internal db')
    const db = this.requireDatabase(name)

    const now = this.#clock.now()
    const newName = this.#deletedName(name, now)
    this.#store.markDatabaseDeleted(db.id, newName, now, hardDeleteAt)

    this.#activeByName.delete(name)
    db.name = newName
    db.deletedAt = now
    db.hardDeleteAt = hardDeleteAt
    return db
  }

  /** Deleted databases whose hard-delete time has come. */
  databasesDueForPurge(): DatabaseRecord[] {
    const now = this.#clock.now().getTime()
    return [...this.#databasesById.values()].filter(
      (db) => db.hardDeleteAt !== undefined && db.hardDeleteAt.getTime() <= now,
    )
  }

  /** Forgets a deleted database for good (its data must be gone already). */
  purgeDatabase(id: number): void {
    this.#store.purgeDatabase(id)
    this.#databasesById.delete(id)
    this.#tablesByDatabase.delete(id)
  }

  /** The active database called `name`, or ERR_DATABASE_NOT_FOUND. */
  requireDatabase(name: string): DatabaseRecord {
    const db = this.#activeByName.get(name)
    if (db === undefined) throw new FluxgateError('ERR_DATABASE_NOT_FOUND', name)
    return db
  }

  findTable(databaseId: number, name: string): TableRecord | undefined {
    return this.#tablesByDatabase.get(databaseId)?.get(name)
  }

  listTables(databaseId: number): TableRecord[] {
    return [...(this.#tablesByDatabase.get(databaseId)?.values() ?? [])]
  }

  /** Tables across all active databases, as the table limit counts them. */
  tableCount(): number {
    let count = 0
    for (const db of this.#activeByName.values())
      count += this.#tablesByDatabase.get(db.id)?.size ?? 0
    return count
  }

  /** Records a new table. The caller has checked names and limits. */
  createTable(databaseId: number, name: string, columns: ColumnDef[]): TableRecord {
    const table = this.#store.insertTable(databaseId, name, columns)
    this.#tablesOf(databaseId).set(name, table)
    return table
  }

  /** Appends columns to a table. The caller has checked names, types and limits. */
  addColumns(table: TableRecord, columns: ColumnDef[]): void {
    this.#store.appendColumns(table.id, columns)
    table.columns.push(...columns)
  }

  deleteTable(table: TableRecord): void {
    this.#store.deleteTable(table.id)
    this.#tablesByDatabase.get(table.databaseId)?.delete(table.name)
  }

  close(): void {
    this.#store.close()
  }

  #load(): void {
    for (const db of this.#store.loadDatabases()) {
      this.#databasesById.set(db.id, db)
      if (db.deletedAt === undefined) this.#activeByName.set(db.name, db)
    }
    for (const table of this.#store.loadTables())
      this.#tablesOf(table.databaseId).set(table.name, table)
  }

  #insertDatabase(name: string, retentionNanos: bigint | undefined): DatabaseRecord {
    const db = this.#store.insertDatabase(name, retentionNanos, this.#clock.now())
    this.#databasesById.set(db.id, db)
    this.#activeByName.set(name, db)
    return db
  }

  /** `<name>-YYYYMMDDTHHMMSS`, with a counter when the same name was deleted that second. */
  #deletedName(name: string, at: Date): string {
    const base = `${name}-${compactTimestamp(at)}`
    const taken = new Set([...this.#databasesById.values()].map((db) => db.name))
    let candidate = base
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`
    return candidate
  }

  #tablesOf(databaseId: number): Map<string, TableRecord> {
    let tables = this.#tablesByDatabase.get(databaseId)
    if (tables === undefined) {
      tables = new Map()
      this.#tablesByDatabase.set(databaseId, tables)
    }
    return tables
  }
}

/** `2026-03-01T10:00:00.123Z` → `20260301T100000`, the suffix of a soft-deleted name. */
function compactTimestamp(at: Date): string {
  return at.toISOString().slice(0, 19).replaceAll('-', '').replaceAll(':', '')
}
