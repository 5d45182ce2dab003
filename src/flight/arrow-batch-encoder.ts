import {
  Bool,
  Field,
  Float64,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  TimestampNanosecond,
  Uint64,
  Utf8,
  makeData,
} from 'apache-arrow'
import type { Data, DataType } from 'apache-arrow'

import { ioxType } from '../storage/index.js'
import type { ResultBatch, ResultColumn, ResultType } from '../storage/index.js'

type Cell = ResultBatch['columns'][number][number]

/** The field metadata key through which InfluxDB 3 tells tags, fields and time apart. */
export const columnTypeKey = 'iox::column::type'

const arrowTypes: Record<ResultType, () => DataType> = {
  timestamp: () => new TimestampNanosecond(),
  int64: () => new Int64(),
  uint64: () => new Uint64(),
  float64: () => new Float64(),
  string: () => new Utf8(),
  boolean: () => new Bool(),
  other: () => new Utf8(),
}

/**
 * The Arrow schema of a result, as InfluxDB 3 describes it: nanosecond timestamps without a
 * zone, and `iox::column::type` on every column that shows a stored tag, field or the time, so
 * that clients (`queryPoints()` of the v3 client) can rebuild points.
 */
export function arrowSchemaOf(columns: readonly ResultColumn[]): Schema {
  return new Schema(columns.map(arrowFieldOf))
}

function arrowFieldOf(column: ResultColumn): Field {
  const metadata =
    column.influxType === undefined ? null : new Map([[columnTypeKey, ioxType(column.influxType)]])
  return new Field(column.name, arrowTypes[column.type](), true, metadata)
}

/** One result batch as an Arrow record batch of `schema` (from `arrowSchemaOf`). */
export function toRecordBatch(
  schema: Schema,
  columns: readonly ResultColumn[],
  batch: ResultBatch,
): RecordBatch {
  const children = columns.map((column, index) =>
    columnData(column.type, batch.columns[index] ?? [], batch.rowCount),
  )
  const data = makeData({
    type: new Struct(schema.fields),
    length: batch.rowCount,
    nullCount: 0,
    children,
  })
  return new RecordBatch(schema, data)
}

function columnData(type: ResultType, cells: readonly Cell[], length: number): Data {
  const nulls = validity(cells, length)
  const common = { length, nullCount: nulls.count, nullBitmap: nulls.bitmap }
  switch (type) {
    case 'timestamp':
      return makeData({ type: new TimestampNanosecond(), ...common, data: bigints(cells, length) })
    case 'int64':
      return makeData({ type: new Int64(), ...common, data: bigints(cells, length) })
    case 'uint64':
      return makeData({ type: new Uint64(), ...common, data: unsigned(cells, length) })
    case 'float64':
      return makeData({ type: new Float64(), ...common, data: floats(cells, length) })
    case 'boolean':
      return makeData({ type: new Bool(), ...common, data: bits(cells, length) })
    case 'string':
    case 'other':
      return makeData({ type: new Utf8(), ...common, ...utf8(cells, length) })
  }
}

/** The validity bitmap (bit set = value present), or none when every value is present. */
function validity(cells: readonly Cell[], length: number) {
  let count = 0
  for (let row = 0; row < length; row++) if (cells[row] === null) count++
  if (count === 0) return { count, bitmap: undefined }

  const bitmap = new Uint8Array((length + 7) >> 3)
  for (let row = 0; row < length; row++) {
    if (cells[row] !== null) bitmap[row >> 3] = (bitmap[row >> 3] ?? 0) | (1 << (row & 7))
  }
  return { count, bitmap }
}

function bigints(cells: readonly Cell[], length: number): BigInt64Array {
  const values = new BigInt64Array(length)
  for (let row = 0; row < length; row++) {
    const cell = cells[row]
    if (typeof cell === 'bigint') values[row] = cell
  }
  return values
}

function unsigned(cells: readonly Cell[], length: number): BigUint64Array {
  const values = new BigUint64Array(length)
  for (let row = 0; row < length; row++) {
    const cell = cells[row]
    if (typeof cell === 'bigint') values[row] = cell
  }
  return values
}

function floats(cells: readonly Cell[], length: number): Float64Array {
  const values = new Float64Array(length)
  for (let row = 0; row < length; row++) {
    const cell = cells[row]
    if (typeof cell === 'number') values[row] = cell
  }
  return values
}

function bits(cells: readonly Cell[], length: number): Uint8Array {
  const values = new Uint8Array((length + 7) >> 3)
  for (let row = 0; row < length; row++) {
    if (cells[row] === true) values[row >> 3] = (values[row >> 3] ?? 0) | (1 << (row & 7))
  }
  return values
}

// UTF-8 takes at most three bytes per UTF-16 unit, so one allocation holds every value.
function utf8(cells: readonly Cell[], length: number) {
  let capacity = 0
  for (let row = 0; row < length; row++) capacity += textOf(cells[row]).length * 3
  const data = new Uint8Array(capacity)
  const valueOffsets = new Int32Array(length + 1)

  let end = 0
  for (let row = 0; row < length; row++) {
    end = writeUtf8(textOf(cells[row]), data, end)
    valueOffsets[row + 1] = end
  }
  return { valueOffsets, data: data.subarray(0, end) }
}

function textOf(cell: Cell | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell)
}

const encoder = new TextEncoder()

// Names and tags are mostly ASCII, and copying their char codes beats a native call per value
// several times over; the first other character hands the value to the TextEncoder.
function writeUtf8(text: string, data: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0x80) return at + encoder.encodeInto(text, data.subarray(at)).written
    data[at + i] = code
  }
  return at + text.length
}
