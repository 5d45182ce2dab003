import type { Catalog, DatabaseRecord } from '../catalog/index.js'
import { FluxgateError } from '../errors/index.js'
import {
  bindStatementParams,
  emptySelectColumns,
  memoryResult,
  parseInfluxql,
  planSelect,
  planShow,
  resolveDatabase,
} from '../influxql/index.js'
import type {
  DatabaseRule,
  InfluxqlAnswer,
  SelectPlan,
  SelectStatement,
  ShowPlan,
  ShowStatement,
  StatementKind,
} from '../influxql/index.js'
import type { Clock } from '../shared/index.js'
import type { DatabaseStorage, QueryParams } from '../storage/index.js'

/** An InfluxQL query against one database, or none for SHOW DATABASES. */
export interface InfluxqlQuery {
  /** The `db` parameter, when the request has one. */
  database: string | undefined
  text: string
  params: QueryParams
  signal?: AbortSignal
  /** Whether the caller may see that a database exists; SHOW DATABASES lists only those. */
  canDescribe?: (databaseName: string) => boolean
}

/** What an InfluxQL query is about, known before it runs. */
export interface InfluxqlTarget {
  kind: StatementKind
  database: string | undefined
}

/** What the runner needs from the query service. */
export interface InfluxqlRunnerDeps {
  catalog: Catalog
  clock: Clock
  /** Opens a database's storage ready for reading (retention enforced, system tables fresh). */
  prepare(name: string): Promise<DatabaseStorage>
}

/** Parses, plans and runs InfluxQL statements through the same read-only storage queries as SQL. */
export class InfluxqlRunner {
  readonly #deps: InfluxqlRunnerDeps

  constructor(deps: InfluxqlRunnerDeps) {
    this.#deps = deps
  }

  /** The kind of statement `text` holds and the database it reads (none for SHOW DATABASES). */
  target(text: string, param: string | undefined, rule: DatabaseRule): InfluxqlTarget {
    const statement = parseInfluxql(text)
    return { kind: statement.kind, database: resolveDatabase(statement, param, rule) }
  }

  async answer(query: InfluxqlQuery, rule: DatabaseRule): Promise<InfluxqlAnswer> {
    const statement = parseInfluxql(query.text)
    const database = resolveDatabase(statement, query.database, rule)
    if (statement.kind === 'select') {
      const bound = bindStatementParams(statement, query.params)
      return this.#select(bound, requireName(database), query.signal)
    }
    return this.#show(statement, database, query)
  }

  /** The answer's rows as a Parquet file; SHOW statements answered from the catalog have none. */
  async parquet(query: InfluxqlQuery, rule: DatabaseRule): Promise<Uint8Array> {
    const statement = parseInfluxql(query.text)
    if (statement.kind === 'show-databases') throw noParquet()
    const database = requireName(resolveDatabase(statement, query.database, rule))
    const storage = await this.#deps.prepare(database)
    const plan =
      statement.kind === 'select'
        ? this.#selectPlan(bindStatementParams(statement, query.params), database)
        : this.#showPlan(statement, database, query)

    if (plan.kind !== 'sql') throw noParquet()
    return storage.queryParquet(plan.sql, plan.params, query.signal)
  }

  async #select(
    statement: SelectStatement,
    database: string,
    signal: AbortSignal | undefined,
  ): Promise<InfluxqlAnswer> {
    const storage = await this.#deps.prepare(database)
    const plan = this.#selectPlan(statement, database)
    const result =
      plan.kind === 'sql'
        ? await storage.query(plan.sql, plan.params, signal)
        : memoryResult(emptySelectColumns(plan.seriesTags), [])
    return { kind: 'select', result, seriesTags: plan.seriesTags }
  }

  #selectPlan(statement: SelectStatement, database: string): SelectPlan {
    const db = this.#database(database)
    const table = this.#deps.catalog.findTable(db.id, statement.source.measurement)
    return planSelect(statement, table, { now: this.#deps.clock.nowNanos() })
  }

  async #show(
    statement: ShowStatement,
    database: string | undefined,
    query: InfluxqlQuery,
  ): Promise<InfluxqlAnswer> {
    const plan = this.#showPlan(statement, database, query)
    const result =
      plan.kind === 'rows'
        ? memoryResult(plan.columns, plan.rows)
        : await (
            await this.#deps.prepare(requireName(database))
          ).query(plan.sql, plan.params, query.signal)
    return { kind: statement.kind, result, seriesTags: [] }
  }

  #showPlan(
    statement: ShowStatement,
    database: string | undefined,
    query: InfluxqlQuery,
  ): ShowPlan {
    const catalog = this.#deps.catalog
    if (statement.kind === 'show-databases') {
      return planShow(statement, {
        databases: this.#describable(query),
        database: undefined,
        tables: [],
      })
    }

    const db = this.#database(requireName(database))
    return planShow(statement, { databases: [], database: db, tables: catalog.listTables(db.id) })
  }

  // Reference §5.2: SHOW DATABASES is filtered to what the caller may describe; none is forbidden.
  #describable(query: InfluxqlQuery): DatabaseRecord[] {
    const all = this.#deps.catalog.listDatabases({ includeDeleted: true })
    if (query.canDescribe === undefined) return all

    const visible = all.filter((db) => query.canDescribe?.(db.name) === true)
    if (visible.length === 0) throw new FluxgateError('ERR_AUTH_FORBIDDEN')
    return visible
  }

  #database(name: string): DatabaseRecord {
    const db = this.#deps.catalog.findDatabase(name)
    if (db === undefined) throw new FluxgateError('ERR_QUERY_DATABASE_NOT_FOUND', name)
    return db
  }
}

function requireName(database: string | undefined): string {
  if (database === undefined) throw new FluxgateError('ERR_INFLUXQL_NO_DATABASE')
  return database
}

function noParquet(): FluxgateError {
  return new FluxgateError('ERR_BAD_REQUEST', 'parquet is not available for this statement')
}
