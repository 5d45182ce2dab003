import type { DatabaseRecord } from '../catalog/index.js'
import { FluxgateError } from '../errors/index.js'
import { rewriteInfluxSql, rewriteSystemSchema } from '../query/index.js'
import type { Clock } from '../shared/index.js'
import type { DatabaseStorage, QueryParams, QueryResult, SystemTable } from '../storage/index.js'
import type { DatabaseRule, InfluxqlAnswer } from '../influxql/index.js'
import type { DatabaseService } from './database-service.js'
import { InfluxqlRunner } from './influxql-runner.js'
import type { InfluxqlQuery, InfluxqlTarget } from './influxql-runner.js'

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
  readonly #influxql: InfluxqlRunner

  /** `systemTables` gives the current system tables of a database (e.g. `_internal`). */
  constructor(
    databases: DatabaseService,
    clock: Clock,
    systemTables: (db: DatabaseRecord) => SystemTable[] = () => [],
  ) {
    this.#databases = databases
    this.#clock = clock
    this.#systemTables = systemTables
    this.#influxql = new InfluxqlRunner({
      catalog: databases.catalog,
      clock,
      prepare: (db) => this.#open(db),
    })
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

  /**
   * Parses an InfluxQL query and resolves the one database it reads (none for SHOW DATABASES),
   * for the caller to authorize before it runs. The database is the `db` parameter or the one
   * the query names: under rule `v3` the two must agree, under `v1` the query's wins, as on
   * `/query`. Throws ERR_INFLUXQL_PARSE, ERR_INFLUXQL_INVALID and ERR_INFLUXQL_NO_DATABASE.
   */
  influxqlTarget(text: string, param: string | undefined, rule: DatabaseRule): InfluxqlTarget {
    return this.#influxql.target(text, param, rule)
  }

  /**
   * Runs one InfluxQL statement and streams its result in the v3 shape: `iox::measurement`
   * first, then (for SELECT) `time`, the GROUP BY tags and the selected columns. SHOW DATABASES
   * lists the databases `canDescribe` allows and throws ERR_AUTH_FORBIDDEN when that is none.
   *
   * Throws ERR_INFLUXQL_INVALID, ERR_QUERY_DATABASE_NOT_FOUND and the errors of `sql`.
   */
  async influxql(query: InfluxqlQuery): Promise<QueryResult> {
    return (await this.#influxql.answer(query)).result
  }

  /** The result of `influxql` as a Parquet file's bytes (SELECT and data-backed SHOW only). */
  influxqlParquet(query: InfluxqlQuery): Promise<Uint8Array> {
    return this.#influxql.parquet(query)
  }

  /** `influxql` with what the v1 shape needs (statement kind, GROUP BY tags). */
  influxqlAnswer(query: InfluxqlQuery): Promise<InfluxqlAnswer> {
    return this.#influxql.answer(query)
  }

  async #prepare(name: string): Promise<DatabaseStorage> {
    const db = this.#databases.catalog.findDatabase(name)
    if (db === undefined) throw new FluxgateError('ERR_QUERY_DATABASE_NOT_FOUND', name)
    return this.#open(db)
  }

  // Opens a database's storage ready for reading: retention enforced, system tables fresh.
  async #open(db: DatabaseRecord): Promise<DatabaseStorage> {
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
