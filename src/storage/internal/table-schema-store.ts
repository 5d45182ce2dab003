import type { DuckDBConnection } from '@duckdb/node-api'

import { FluxgateError } from '../../errors/index.js'
import { RAW_SCHEMA } from '../layout.js'
import type { ColumnDef, ColumnType } from '../types.js'
import { rawTableName, sqlIdentifier, sqlString, sqlTypeOf, userViewName } from './sql-names.js'
import { runInTransaction } from './transaction.js'

/** The stored shape of one user table. */
export interface TableSchema {
  readonly name: string
  /** Columns in stored order, `time` first. */
  readonly columns: readonly ColumnDef[]
  readonly types: ReadonlyMap<string, ColumnType>
  /** Tag column names in stored order: with `time`, they identify a series point. */
  readonly tags: readonly string[]
}

const columnTypes = new Set<string>(Object.keys(sqlTypeOf))

/**
 * The tables of one database and the role of each column. Roles are kept as column comments in
 * the DuckDB file, since tags and string fields share one SQL type.
 */
export class TableSchemaStore {
  private readonly tables = new Map<string, TableSchema>()

  /** Reads the tables already stored. */
  static async load(connection: DuckDBConnection): Promise<TableSchemaStore> {
    const store = new TableSchemaStore()
    const reader = await connection.runAndReadAll(
      `SELECT table_name, column_name, comment, data_type FROM duckdb_columns()
       WHERE database_name = current_database() AND schema_name = ${sqlString(RAW_SCHEMA)}
       ORDER BY table_name, column_index`,
    )

    const columnsByTable = new Map<string, ColumnDef[]>()
    for (const [table, name, comment, dataType] of reader.getRows()) {
      const columns = columnsByTable.get(String(table)) ?? []
      columns.push({ name: String(name), type: storedType(comment, dataType) })
      columnsByTable.set(String(table), columns)
    }
    for (const [table, columns] of columnsByTable) {
      store.tables.set(table, tableSchema(table, columns))
    }

    return store
  }

  /** The schema of `table`, when it exists. */
  get(table: string): TableSchema | undefined {
    return this.tables.get(table)
  }

  /** Every table name. */
  names(): string[] {
    return [...this.tables.keys()]
  }

  /** Creates `table` or adds the columns it lacks, and rebuilds its view; one transaction. */
  async ensureColumns(
    connection: DuckDBConnection,
    table: string,
    wanted: readonly ColumnDef[],
  ): Promise<void> {
    wanted.forEach(checkTimeColumn)

    const current = this.tables.get(table)
    const missing = missingColumns(current, wanted)
    if (missing.length === 0) return

    const next = tableSchema(table, [...(current?.columns ?? []), ...missing])
    await runInTransaction(connection, [
      ...(current === undefined
        ? [createTable(table, missing)]
        : missing.map((column) => addColumn(table, column))),
      ...missing.map((column) => commentColumn(table, column)),
      createView(next),
    ])
    this.tables.set(table, next)
  }

  /** Drops `table`, its view and its rows; nothing happens when it does not exist. */
  async drop(connection: DuckDBConnection, table: string): Promise<void> {
    await runInTransaction(connection, [
      `DROP VIEW IF EXISTS ${userViewName(table)}`,
      `DROP TABLE IF EXISTS ${rawTableName(table)}`,
    ])
    this.tables.delete(table)
  }
}

function tableSchema(name: string, columns: readonly ColumnDef[]): TableSchema {
  return {
    name,
    columns,
    types: new Map(columns.map((column) => [column.name, column.type])),
    tags: columns.filter((column) => column.type === 'tag').map((column) => column.name),
  }
}

function checkTimeColumn(column: ColumnDef): void {
  if ((column.name === 'time') !== (column.type === 'time')) {
    throw new FluxgateError(
      'ERR_INTERNAL',
      `column ${JSON.stringify(column.name)} of type ${column.type}: only "time" holds the time`,
    )
  }
}

// A new table always starts with its time column, whether asked for or not.
function missingColumns(current: TableSchema | undefined, wanted: readonly ColumnDef[]) {
  const known = new Set(current?.types.keys())
  const missing: ColumnDef[] = current === undefined ? [{ name: 'time', type: 'time' }] : []
  if (current === undefined) known.add('time')

  for (const column of wanted) {
    if (known.has(column.name)) continue
    known.add(column.name)
    missing.push({ name: column.name, type: column.type })
  }

  return missing
}

function columnSql(column: ColumnDef): string {
  return `${sqlIdentifier(column.name)} ${sqlTypeOf[column.type]}`
}

function createTable(table: string, columns: readonly ColumnDef[]): string {
  return `CREATE TABLE ${rawTableName(table)} (${columns.map(columnSql).join(', ')})`
}

function addColumn(table: string, column: ColumnDef): string {
  return `ALTER TABLE ${rawTableName(table)} ADD COLUMN ${columnSql(column)}`
}

function commentColumn(table: string, column: ColumnDef): string {
  const name = `${rawTableName(table)}.${sqlIdentifier(column.name)}`
  return `COMMENT ON COLUMN ${name} IS ${sqlString(column.type)}`
}

// InfluxDB 3 shows `SELECT *` columns sorted by name, byte-wise as Rust compares strings.
function createView(schema: TableSchema): string {
  const names = schema.columns
    .map((column) => column.name)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  const list = names.map(sqlIdentifier).join(', ')

  const view = userViewName(schema.name)
  return `CREATE OR REPLACE VIEW ${view} AS SELECT ${list} FROM ${rawTableName(schema.name)}`
}

// The comment written with the column names its role; without one, the SQL type decides.
function storedType(comment: unknown, dataType: unknown): ColumnType {
  if (isColumnType(comment)) return comment

  const byType: Record<string, ColumnType> = {
    TIMESTAMP_NS: 'time',
    DOUBLE: 'float',
    BIGINT: 'integer',
    UBIGINT: 'uinteger',
    BOOLEAN: 'boolean',
  }
  return byType[String(dataType)] ?? 'string'
}

function isColumnType(value: unknown): value is ColumnType {
  return typeof value === 'string' && columnTypes.has(value)
}
