import type { DuckDBDataChunk } from '@duckdb/node-api'

import { FluxgateError } from '../../errors/index.js'
import type { TableColumns, WriteRow } from '../types.js'
import { chunksOf, rowsOfChunks } from './data-chunks.js'
import { hasRepeatedPoint, hasRepeatedPointIn, latestPerPoint } from './last-write-wins.js'
import { columnsOfRows, columnsOfTable, rowsOfTable } from './row-columns.js'
import type { RowColumns } from './row-columns.js'
import type { TableSchema, TableSchemaStore } from './table-schema-store.js'

/**
 * Rows of one table, deduplicated and converted to data chunks, ready to append. A write is
 * prepared when it arrives, so that this work is done while an earlier commit is in flight, and
 * only the chunks are kept: the rows can be collected before the commit.
 */
export interface TableRows {
  /** The schema the chunks were laid out for. */
  schema: TableSchema
  chunks: readonly DuckDBDataChunk[]
  rowCount: number
  /** True when some row has no value for some field column of `schema`. */
  omitsFields: boolean
  min: bigint
  max: bigint
}

/** Prepares the rows of one write, table by table. */
export function prepareWrite(rows: readonly WriteRow[], schemas: TableSchemaStore): TableRows[] {
  return [...rowsByTable(rows)].map(([table, tableRows]) => {
    const schema = schemas.get(table)
    if (schema === undefined) throw new FluxgateError('ERR_INTERNAL', `no table ${table}`)

    return prepareRows(schema, tableRows)
  })
}

/** Prepares the rows of one write given column by column. */
export function prepareColumns(
  tables: readonly TableColumns[],
  schemas: TableSchemaStore,
): TableRows[] {
  return tables.map((table) => {
    const schema = schemas.get(table.table)
    if (schema === undefined) throw new FluxgateError('ERR_INTERNAL', `no table ${table.table}`)

    const laid = columnsOfTable(schema, table)
    return hasRepeatedPointIn(laid)
      ? prepareRows(schema, rowsOfTable(table))
      : prepared(schema, laid)
  })
}

/**
 * Merges the prepared rows of several writes to one table, later writes winning. Chunks are
 * reused unless the writes collide on a point or the schema changed since they were prepared;
 * then the rows are read back from them and prepared again.
 */
export function mergePrepared(parts: readonly TableRows[], schema: TableSchema): TableRows {
  const [first] = parts
  const fresh = parts.every((part) => part.schema === schema)
  if (first === undefined || !fresh) return prepareRows(schema, parts.flatMap(rowsOf))
  if (parts.length === 1) return first

  // Writes whose time ranges do not overlap cannot share a point. Each write holds no repeat
  // of its own, so any repeat among all their rows is a collision between writes.
  if (overlap(parts)) {
    const rows = parts.flatMap(rowsOf)
    if (hasRepeatedPoint(rows, schema.tags)) return prepareRows(schema, rows)
  }

  return {
    schema,
    chunks: parts.flatMap((part) => part.chunks),
    rowCount: parts.reduce((sum, part) => sum + part.rowCount, 0),
    omitsFields: parts.some((part) => part.omitsFields),
    min: parts.reduce((min, part) => (part.min < min ? part.min : min), first.min),
    max: parts.reduce((max, part) => (part.max > max ? part.max : max), first.max),
  }
}

// Repeated points within the rows are rare: only then are the rows merged and laid out again.
function prepareRows(schema: TableSchema, rows: readonly WriteRow[]): TableRows {
  let laid = columnsOfRows(schema, rows)
  if (hasRepeatedPointIn(laid)) laid = columnsOfRows(schema, latestPerPoint(rows, schema.tags))

  return prepared(schema, laid)
}

function prepared(schema: TableSchema, laid: RowColumns): TableRows {
  const { min, max } = timeRange(laid.times)
  const chunks = chunksOf(schema.columns, laid)
  return { schema, chunks, rowCount: laid.rowCount, omitsFields: laid.omitsFields, min, max }
}

function timeRange(times: readonly bigint[]): { min: bigint; max: bigint } {
  let min = times[0] ?? 0n
  let max = min
  for (const time of times) {
    if (time < min) min = time
    if (time > max) max = time
  }

  return { min, max }
}

function rowsOf(part: TableRows): WriteRow[] {
  return rowsOfChunks(part.schema.name, part.schema.columns, part.chunks)
}

function overlap(parts: readonly TableRows[]): boolean {
  return parts.some((later, index) =>
    parts.slice(0, index).some((earlier) => earlier.min <= later.max && later.min <= earlier.max),
  )
}

function rowsByTable(rows: readonly WriteRow[]): Map<string, readonly WriteRow[]> {
  const table = rows[0]?.table
  if (table !== undefined && rows.every((row) => row.table === table)) {
    return new Map([[table, rows]])
  }

  const byTable = new Map<string, WriteRow[]>()
  for (const row of rows) {
    const tableRows = byTable.get(row.table)
    if (tableRows === undefined) byTable.set(row.table, [row])
    else tableRows.push(row)
  }

  return byTable
}
