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
  ShowPlan,
  Statement,
} from '../influxql/index.js'
import type { Clock } from '../shared/index.js'
import type { DatabaseStorage, QueryParams, QueryResult } from '../storage/index.js'

/**
 * A parsed InfluxQL statement and the one database it reads (none for SHOW DATABASES), resolved
 * once from the query and the `db` parameter, so that what is authorized is what is read.
 */
export interface InfluxqlTarget {
  statement: Statement
  database: string | undefined
}

/** An InfluxQL query, ready to run once its target was authorized. */
export interface InfluxqlQuery {
  target: InfluxqlTarget
  params: QueryParams
  signal?: AbortSignal
  /** Whether the caller may see that a database exists; SHOW DATABASES lists only those. */
  canDescribe?: (db: DatabaseRecord) => boolean
}

/** What the runner needs from the query service. */
export interface InfluxqlRunnerDeps {
  catalog: Catalog
  clock: Clock
  /** Opens a database's storage ready for reading (retention enforced, system tables fresh). */
  prepare(db: DatabaseRecord): Promise<DatabaseStorage>
}

/** Parses, plans and runs InfluxQL statements through the same read-only storage queries as SQL. */
export class InfluxqlRunner {
  readonly #deps: InfluxqlRunnerDeps

  constructor(deps: InfluxqlRunnerDeps) {
    this.#deps = deps
  }

  /** Parses `text` and resolves the database it reads. */
  target(text: string, param: string | undefined, rule: DatabaseRule): InfluxqlTarget {
    const statement = parseInfluxql(text)
    return { statement, database: resolveDatabase(statement, param, rule) }
  }

  async answer(query: InfluxqlQuery): Promise<InfluxqlAnswer> {
    const { work, seriesTags } = this.#plan(query)
    const result = 'result' in work ? work.result : await this.#run(work, query.signal)
    return { kind: query.target.statement.kind, result, seriesTags }
  }

  /** The answer's rows as a Parquet file; SHOW statements answered from the catalog have none. */
  async parquet(query: InfluxqlQuery): Promise<Uint8Array> {
    if (query.target.statement.kind === 'show-databases') throw noParquet()
    const { work } = this.#plan(query)
    if ('result' in work) throw noParquet()

    const storage = await this.#deps.prepare(work.db)
    return storage.queryParquet(work.sql, work.params, query.signal)
  }

  async #run(work: DatabaseWork, signal: AbortSignal | undefined): Promise<QueryResult> {
    const storage = await this.#deps.prepare(work.db)
    return storage.query(work.sql, work.params, signal)
  }

  // Storage is opened only for a statement that reads data: the rest is answered from the catalog.
  #plan(query: InfluxqlQuery): Planned {
    const { statement, database } = query.target
    if (statement.kind === 'show-databases') {
      const context = { databases: this.#describable(query), database: undefined, tables: [] }
      return planned(undefined, planShow(statement, context), [])
    }

    const bound =
      statement.kind === 'select' ? bindStatementParams(statement, query.params) : statement
    const db = this.#database(requireName(database))
    if (bound.kind !== 'select') {
      const tables = this.#deps.catalog.listTables(db.id)
      return planned(db, planShow(bound, { databases: [], database: db, tables }), [])
    }

    const table = this.#deps.catalog.findTable(db.id, bound.source.measurement)
    const plan = planSelect(bound, table, { now: this.#deps.clock.nowNanos() })
    return planned(db, plan, plan.seriesTags)
  }

  // Reference §5.2: SHOW DATABASES is filtered to what the caller may describe; none is forbidden.
  #describable(query: InfluxqlQuery): DatabaseRecord[] {
    const all = this.#deps.catalog.listDatabases({ includeDeleted: true })
    if (query.canDescribe === undefined) return all

    const visible = all.filter((db) => query.canDescribe?.(db) === true)
    if (visible.length === 0) throw new FluxgateError('ERR_AUTH_FORBIDDEN')
    return visible
  }

  #database(name: string): DatabaseRecord {
    const db = this.#deps.catalog.findDatabase(name)
    if (db === undefined) throw new FluxgateError('ERR_QUERY_DATABASE_NOT_FOUND', name)
    return db
  }
}

/** SQL to run on one database. */
interface DatabaseWork {
  db: DatabaseRecord
  sql: string
  params: QueryParams
}

/** A planned statement: SQL to run, or its answer already known; and its GROUP BY tags. */
interface Planned {
  work: DatabaseWork | { result: QueryResult }
  seriesTags: string[]
}

function planned(
  db: DatabaseRecord | undefined,
  plan: SelectPlan | ShowPlan,
  seriesTags: string[],
): Planned {
  if (plan.kind === 'sql') {
    if (db === undefined) throw new Error('a plan that reads data needs its database')
    return { work: { db, sql: plan.sql, params: plan.params }, seriesTags }
  }

  const result =
    plan.kind === 'rows'
      ? memoryResult(plan.columns, plan.rows)
      : memoryResult(emptySelectColumns(seriesTags), [])
  return { work: { result }, seriesTags }
}

function requireName(database: string | undefined): string {
  if (database === undefined) throw new FluxgateError('ERR_INFLUXQL_NO_DATABASE')
  return database
}

function noParquet(): FluxgateError {
  return new FluxgateError('ERR_BAD_REQUEST', 'parquet is not available for this statement')
}
