import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBTimestampNanosecondsValue,
  ENUM,
  TIMESTAMP_NS,
  UBIGINT,
  VARCHAR,
} from '@duckdb/node-api'
import type {
  DuckDBAppender,
  DuckDBConnection,
  DuckDBType,
  DuckDBValue,
  DuckDBVector,
} from '@duckdb/node-api'

import type { ColumnDef, ColumnType, StoredValue, WriteRow } from '../types.js'
import type { RowColumns } from './row-columns.js'

/** A table to append to, by catalog, schema and name (unquoted). */
export interface AppendTarget {
  catalog: string | null
  schema: string
  table: string
}

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
 * Converts rows laid out column by column into DuckDB data chunks, `columns` giving the stored
 * order and types. Needs no connection, so it can run while another commit is in flight.
 */
export function chunksOf(columns: readonly ColumnDef[], laid: RowColumns): DuckDBDataChunk[] {
  const chunks: DuckDBDataChunk[] = []
  for (let start = 0; start < laid.rowCount; start += chunkRows) {
    const end = Math.min(laid.rowCount, start + chunkRows)
    chunks.push(chunkOf(columns, laid.values, start, end))
  }

  return chunks
}

/** Reads the rows of `table` back out of chunks laid out as `columns`. */
export function rowsOfChunks(
  table: string,
  columns: readonly ColumnDef[],
  chunks: readonly DuckDBDataChunk[],
): WriteRow[] {
  return chunks.flatMap((chunk) => {
    const values = columns.map((_, index) => chunk.getColumnValues(index))
    return Array.from({ length: chunk.rowCount }, (_, row) => {
      const written: WriteRow = { table, tags: {}, fields: {}, time: 0n }
      columns.forEach((column, index) => setCell(written, column, values[index]?.[row] ?? null))
      return written
    })
  })
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

function chunkOf(
  columns: readonly ColumnDef[],
  values: ReadonlyArray<ReadonlyArray<DuckDBValue | undefined>>,
  start: number,
  end: number,
): DuckDBDataChunk {
  const slices = values.map((column) => column.slice(start, end))
  const types = columns.map((column, index) => chunkType(column.type, slices[index] ?? []))
  const chunk = DuckDBDataChunk.create(types, end - start)
  slices.forEach((slice, index) => fillVector(chunk.getColumnVector(index), slice))
  // Setting the row count drops the chunk's cached vectors, and with them the copies of the
  // values they keep on the JavaScript side, which would otherwise wait for the commit.
  chunk.rowCount = end - start

  return chunk
}

// Strings reach DuckDB one call each, but an enum column, which the appender turns back into
// text, in a few calls per distinct value: far cheaper when few values repeat, as tag values
// often do. Setting up an enum costs about three such calls per value, hence the bound.
function chunkType(
  type: ColumnType | undefined,
  values: ReadonlyArray<DuckDBValue | undefined>,
): DuckDBType {
  if (type !== 'tag' && type !== 'string') return duckTypes[type ?? 'string']

  const most = values.length / 16
  const distinct = new Set<string>()
  for (const value of values) {
    if (typeof value !== 'string') continue
    distinct.add(value)
    if (distinct.size > most) return VARCHAR
  }

  return distinct.size > 0 ? ENUM([...distinct]) : VARCHAR
}

function fillVector(vector: DuckDBVector, values: ReadonlyArray<DuckDBValue | undefined>): void {
  for (let at = 0; at < values.length; at++) vector.setItem(at, values[at] ?? null)
  vector.flush()
}

function setCell(row: WriteRow, column: ColumnDef, value: DuckDBValue): void {
  if (value === null) return

  if (column.type === 'time' && value instanceof DuckDBTimestampNanosecondsValue) {
    row.time = value.nanos
  } else if (column.type === 'tag' && typeof value === 'string') {
    row.tags[column.name] = value
  } else if (isStoredValue(value)) {
    row.fields[column.name] = value
  }
}

function isStoredValue(value: DuckDBValue): value is StoredValue {
  const type = typeof value
  return type === 'number' || type === 'bigint' || type === 'string' || type === 'boolean'
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
