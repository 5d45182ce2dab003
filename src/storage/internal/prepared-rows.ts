import type { DuckDBDataChunk } from '@duckdb/node-api'

import { FluxgateError } from '../../errors/index.js'
import type { WriteRow } from '../types.js'
import { fillChunks } from './data-chunks.js'
import { hasRepeatedPoint, latestPerPoint, timeRange } from './last-write-wins.js'
import type { TableSchema, TableSchemaStore } from './table-schema-store.js'

/**
 * Rows of one table, deduplicated and converted to data chunks, ready to append. A write is
 * prepared when it arrives, so that this work is done while an earlier commit is in flight.
 */
export interface TableRows {
  /** The schema the chunks were laid out for. */
  schema: TableSchema
  /** The rows once deduplicated, in the order of the chunks. */
  rows: readonly WriteRow[]
  chunks: readonly DuckDBDataChunk[]
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

/**
 * Merges the prepared rows of several writes to one table, later writes winning. Chunks are
 * reused unless the writes collide on a point or the schema changed since they were prepared.
 */
export function mergePrepared(parts: readonly TableRows[], schema: TableSchema): TableRows {
  const [first] = parts
  const fresh = parts.every((part) => part.schema === schema)
  if (first !== undefined && parts.length === 1 && fresh) return first

  const rows = parts.flatMap((part) => part.rows)
  if (first === undefined || !fresh || collide(parts, rows, schema.tags))
    return prepareRows(schema, rows)

  return {
    schema,
    rows,
    chunks: parts.flatMap((part) => part.chunks),
    min: parts.reduce((min, part) => (part.min < min ? part.min : min), first.min),
    max: parts.reduce((max, part) => (part.max > max ? part.max : max), first.max),
  }
}

function prepareRows(schema: TableSchema, rows: readonly WriteRow[]): TableRows {
  const latest = latestPerPoint(rows, schema.tags)
  const { min, max } = timeRange(latest)

  return { schema, rows: latest, chunks: fillChunks(schema.columns, latest), min, max }
}

// Writes whose time ranges do not overlap cannot share a point. Each write holds no repeat of
// its own, so any repeat among all their rows is a collision between writes.
function collide(
  parts: readonly TableRows[],
  rows: readonly WriteRow[],
  tags: readonly string[],
): boolean {
  const overlapping = parts.some((later, index) =>
    parts.slice(0, index).some((earlier) => earlier.min <= later.max && later.min <= earlier.max),
  )

  return overlapping && hasRepeatedPoint(rows, tags)
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
