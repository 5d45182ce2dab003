import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  TIMESTAMP_NS,
  UBIGINT,
  VARCHAR,
  timestampNanosValue,
} from '@duckdb/node-api'
import type { DuckDBAppender, DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api'

import type { ColumnDef, ColumnType, WriteRow } from '../types.js'

/** A table to append to, by catalog, schema and name (unquoted). */
export interface AppendTarget {
  catalog: string | null
  schema: string
  table: string
}

type CellReader = (row: WriteRow) => DuckDBValue

// DuckDB's vector size: the most rows one data chunk holds.
const chunkRows = 2048

const duckTypes: Record<ColumnType, DuckDBType> = {
  tag: VARCHAR,
  time: TIMESTAMP_NS,
  float: DOUBLE,
  integer: BIGINT,
  uinteger: UBIGINT,
  string: VARCHAR,
  boolean: BOOLEAN,
}

/**
 * Converts rows into DuckDB data chunks laid out as `columns`, in stored order. Absent tags and
 * fields become NULL. Needs no connection, so it can run while another commit is in flight.
 */
export function fillChunks(
  columns: readonly ColumnDef[],
  rows: readonly WriteRow[],
): DuckDBDataChunk[] {
  const types = columns.map((column) => duckTypes[column.type])
  const readers = columns.map(cellReader)

  const chunks: DuckDBDataChunk[] = []
  for (let offset = 0; offset < rows.length; offset += chunkRows) {
    chunks.push(filledChunk(types, readers, rows.slice(offset, offset + chunkRows)))
  }

  return chunks
}

/** Appends `chunks` to `target` within the connection's open transaction. */
export async function appendChunks(
  connection: DuckDBConnection,
  target: AppendTarget,
  chunks: readonly DuckDBDataChunk[],
): Promise<void> {
  const appender = await connection.createAppender(target.table, target.schema, target.catalog)
  try {
    for (const chunk of chunks) appender.appendDataChunk(chunk)
    appender.closeSync()
  } catch (error) {
    discard(appender)
    throw error
  }
}

function filledChunk(
  types: readonly DuckDBType[],
  readers: readonly CellReader[],
  rows: readonly WriteRow[],
): DuckDBDataChunk {
  const chunk = DuckDBDataChunk.create(types, rows.length)
  readers.forEach((read, index) => {
    const vector = chunk.getColumnVector(index)
    let at = 0
    for (const row of rows) vector.setItem(at++, read(row))
    vector.flush()
  })

  return chunk
}

function cellReader(column: ColumnDef): CellReader {
  const { name, type } = column
  if (type === 'time') return (row) => timestampNanosValue(row.time)
  if (type === 'tag') return (row) => row.tags[name] ?? null
  if (type === 'integer' || type === 'uinteger') return (row) => wholeNumber(row.fields[name])

  return (row) => row.fields[name] ?? null
}

function wholeNumber(value: WriteRow['fields'][string] | undefined): DuckDBValue {
  return typeof value === 'number' ? BigInt(value) : (value ?? null)
}

// The rows go with the transaction anyway; the appender only has to be let go.
function discard(appender: DuckDBAppender): void {
  try {
    appender.clear()
    appender.closeSync()
  } catch {
    // already closed by the failure
  }
}
