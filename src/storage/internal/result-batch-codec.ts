import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
} from '@duckdb/node-api'
import type { DuckDBDataChunk, DuckDBResult, DuckDBValue } from '@duckdb/node-api'

import type { ColumnType, ResultBatch, ResultColumn, ResultType } from '../types.js'

type Cell = ResultBatch['columns'][number][number]
type CellReader = (value: DuckDBValue) => Cell

/** Tells which user-table column, if any, a result column shows unchanged. */
export type ColumnOrigin = (name: string, typeId: DuckDBTypeId) => ColumnType | undefined

/** How to turn each column of a DuckDB result into ResultBatch values. */
export interface ResultLayout {
  columns: ResultColumn[]
  readers: CellReader[]
}

const nanosPerDay = 86_400_000_000_000n

const resultTypes: Partial<Record<DuckDBTypeId, ResultType>> = {
  [DuckDBTypeId.BOOLEAN]: 'boolean',
  [DuckDBTypeId.TINYINT]: 'int64',
  [DuckDBTypeId.SMALLINT]: 'int64',
  [DuckDBTypeId.INTEGER]: 'int64',
  [DuckDBTypeId.BIGINT]: 'int64',
  [DuckDBTypeId.HUGEINT]: 'int64',
  [DuckDBTypeId.UTINYINT]: 'uint64',
  [DuckDBTypeId.USMALLINT]: 'uint64',
  [DuckDBTypeId.UINTEGER]: 'uint64',
  [DuckDBTypeId.UBIGINT]: 'uint64',
  [DuckDBTypeId.UHUGEINT]: 'uint64',
  [DuckDBTypeId.FLOAT]: 'float64',
  [DuckDBTypeId.DOUBLE]: 'float64',
  [DuckDBTypeId.DECIMAL]: 'float64',
  [DuckDBTypeId.VARCHAR]: 'string',
  [DuckDBTypeId.ENUM]: 'string',
  [DuckDBTypeId.TIMESTAMP]: 'timestamp',
  [DuckDBTypeId.TIMESTAMP_S]: 'timestamp',
  [DuckDBTypeId.TIMESTAMP_MS]: 'timestamp',
  [DuckDBTypeId.TIMESTAMP_NS]: 'timestamp',
  [DuckDBTypeId.TIMESTAMP_TZ]: 'timestamp',
  [DuckDBTypeId.DATE]: 'timestamp',
}

const readers: Record<ResultType, CellReader> = {
  boolean: (value) => (typeof value === 'boolean' ? value : null),
  int64: readInteger,
  uint64: readInteger,
  float64: readFloat,
  string: (value) => (typeof value === 'string' ? value : null),
  timestamp: readNanos,
  other: (value) => (value === null ? null : String(value)),
}

/** Describes the columns of `result` and picks a reader for each. */
export function resultLayout(result: DuckDBResult, originOf: ColumnOrigin): ResultLayout {
  const columns: ResultColumn[] = []
  const columnReaders: CellReader[] = []
  for (let index = 0; index < result.columnCount; index++) {
    const name = result.columnName(index)
    const typeId = result.columnTypeId(index)
    const type = resultTypes[typeId] ?? 'other'

    columns.push({ name, type, influxType: originOf(name, typeId) })
    columnReaders.push(readers[type])
  }

  return { columns, readers: columnReaders }
}

/** Converts one chunk, column by column. */
export function toResultBatch(chunk: DuckDBDataChunk, layout: ResultLayout): ResultBatch {
  const rowCount = chunk.rowCount
  const columns = layout.readers.map((read, index) => {
    const vector = chunk.getColumnVector(index)
    const cells = new Array<Cell>(rowCount)
    for (let row = 0; row < rowCount; row++) cells[row] = read(vector.getItem(row))
    return cells
  })

  return { rowCount, columns }
}

function readInteger(value: DuckDBValue): Cell {
  if (typeof value === 'bigint') return value
  return typeof value === 'number' ? BigInt(value) : null
}

function readFloat(value: DuckDBValue): Cell {
  if (typeof value === 'number') return value
  return value instanceof DuckDBDecimalValue ? value.toDouble() : null
}

// Every DuckDB time type arrives as nanoseconds; none goes through Date or milliseconds.
function readNanos(value: DuckDBValue): Cell {
  if (value instanceof DuckDBTimestampNanosecondsValue) return value.nanos
  if (value instanceof DuckDBTimestampValue) return value.micros * 1000n
  if (value instanceof DuckDBTimestampTZValue) return value.micros * 1000n
  if (value instanceof DuckDBTimestampMillisecondsValue) return value.millis * 1_000_000n
  if (value instanceof DuckDBTimestampSecondsValue) return value.seconds * 1_000_000_000n
  if (value instanceof DuckDBDateValue) return BigInt(value.days) * nanosPerDay

  return null
}
