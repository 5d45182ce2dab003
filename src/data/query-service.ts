import type { DatabaseRecord } from '../catalog/index.js'
import { FluxgateError } from '../errors/index.js'
import { rewriteInfluxSql, rewriteSystemSchema } from '../query/index.js'
import type { Clock } from '../shared/index.js'
import type { DatabaseStorage, QueryParams, QueryResult, SystemTable } from '../storage/index.js'
import type { DatabaseService } from './database-service.js'

/** A SQL query against one database. */
export interface SqlQuery {
  database: string
  sql: string
  params: QueryParams
  signal?: AbortSignal
}

/** How stale retention may be before a query enforces it first. */
const retentionCheckIntervalNanos = 1_000_000_000n

/**
 * Runs read-only SQL in the InfluxDB 3 dialect. Expired data is removed before a query reads a
 * database with a retention period, so it is never returned.
 */
export class QueryService {
  readonly #databases: DatabaseService
  readonly #clock: Clock
  readonly #retentionCheckedAt = new Map<number, bigint>()
  readonly #systemTables: (db: DatabaseRecord) => SystemTable[]

  /** `systemTables` gives the current system tables of a database (e.g. `_internal`). */
  constructor(
    databases: DatabaseService,
    clock: Clock,
    systemTables: (db: DatabaseRecord) => SystemTable[] = () => [],
  ) {
    this.#databases = databases
    this.#clock = clock
    this.#systemTables = systemTables
  }

  /**
   * Streams the result. Throws ERR_QUERY_DATABASE_NOT_FOUND, ERR_QUERY_INVALID or
   * ERR_QUERY_NOT_READ_ONLY.
   */
  async sql(query: SqlQuery): Promise<QueryResult> {
    const storage = await this.#prepare(query.database)
    return storage.query(toDuckDbSql(query.sql), query.params, query.signal)
  }

  /** The result as a Parquet file's bytes. */
  async sqlParquet(query: SqlQuery): Promise<Uint8Array> {
    const storage = await this.#prepare(query.database)
    return storage.queryParquet(toDuckDbSql(query.sql), query.params, query.signal)
  }

  async #prepare(name: string): Promise<DatabaseStorage> {
    const db = this.#databases.catalog.findDatabase(name)
    if (db === undefined) throw new FluxgateError('ERR_QUERY_DATABASE_NOT_FOUND', name)

    const storage = await this.#databases.storageOf(db)
    await this.#enforceRetention(db, storage)
    for (const table of this.#systemTables(db)) await storage.replaceSystemTable(table)
    return storage
  }

  async #enforceRetention(db: DatabaseRecord, storage: DatabaseStorage): Promise<void> {
    if (db.retentionNanos === undefined) return

    const now = this.#clock.nowNanos()
    const last = this.#retentionCheckedAt.get(db.id) ?? 0n
    if (now - last < retentionCheckIntervalNanos) return

    await storage.deleteOlderThan(now - db.retentionNanos)
    this.#retentionCheckedAt.set(db.id, now)
  }
}

function toDuckDbSql(sql: string): string {
  return rewriteInfluxSql(rewriteSystemSchema(sql))
}
