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

/** A column's Arrow type, and how the cells of one batch become its Arrow data. */
interface ColumnEncoder {
  readonly type: DataType
  encode(cells: readonly Cell[], length: number): Data
}

/** The length and nulls of one column of a batch, as `makeData` takes them. */
interface Validity {
  length: number
  nullCount: number
  nullBitmap: Uint8Array | undefined
}

const utf8Column = () =>
  columnEncoder(new Utf8(), (type, cells, common) =>
    makeData({ type, ...common, ...utf8(cells, common.length) }),
  )

// The one table of result types: each one's Arrow type and its value buffers, side by side.
const columnEncoders: Record<ResultType, () => ColumnEncoder> = {
  timestamp: () =>
    columnEncoder(new TimestampNanosecond(), (type, cells, common) =>
      makeData({ type, ...common, data: bigints(BigInt64Array, cells, common.length) }),
    ),
  int64: () =>
    columnEncoder(new Int64(), (type, cells, common) =>
      makeData({ type, ...common, data: bigints(BigInt64Array, cells, common.length) }),
    ),
  uint64: () =>
    columnEncoder(new Uint64(), (type, cells, common) =>
      makeData({ type, ...common, data: bigints(BigUint64Array, cells, common.length) }),
    ),
  float64: () =>
    columnEncoder(new Float64(), (type, cells, common) =>
      makeData({ type, ...common, data: floats(cells, common.length) }),
    ),
  boolean: () =>
    columnEncoder(new Bool(), (type, cells, common) =>
      makeData({ type, ...common, data: bits(cells, common.length) }),
    ),
  string: utf8Column,
  other: utf8Column,
}

function columnEncoder<T extends DataType>(
  type: T,
  build: (type: T, cells: readonly Cell[], validity: Validity) => Data<T>,
): ColumnEncoder {
  return { type, encode: (cells, length) => build(type, cells, validity(cells, length)) }
}

/**
 * Turns the batches of one result into Arrow record batches of one schema. The Arrow types
 * and the struct of the schema are built once, here, not for every batch.
 */
export class ArrowBatchEncoder {
  /**
   * The Arrow schema of the result, as InfluxDB 3 describes it: nanosecond timestamps without
   * a zone, and `iox::column::type` on every column that shows a stored tag, field or the
   * time, so that clients (`queryPoints()` of the v3 client) can rebuild points.
   */
  readonly schema: Schema
  readonly #struct: Struct
  readonly #columns: readonly ColumnEncoder[]

  constructor(columns: readonly ResultColumn[]) {
    const encoders: ColumnEncoder[] = []
    const fields: Field[] = []
    for (const column of columns) {
      const encoder = columnEncoders[column.type]()
      encoders.push(encoder)
      fields.push(arrowFieldOf(column, encoder.type))
    }
    this.#columns = encoders
    this.schema = new Schema(fields)
    this.#struct = new Struct(this.schema.fields)
  }

  /** One result batch as an Arrow record batch of `schema`. */
  toRecordBatch(batch: ResultBatch): RecordBatch {
    const { rowCount } = batch
    const children = this.#columns.map((column, index) =>
      column.encode(batch.columns[index] ?? [], rowCount),
    )
    const data = makeData({ type: this.#struct, length: rowCount, nullCount: 0, children })
    return new RecordBatch(this.schema, data)
  }
}

function arrowFieldOf(column: ResultColumn, type: DataType): Field {
  const metadata =
    column.influxType === undefined ? null : new Map([[columnTypeKey, ioxType(column.influxType)]])
  return new Field(column.name, type, true, metadata)
}

/** The validity (bit set = value present) as `makeData` takes it; no bitmap without nulls. */
function validity(cells: readonly Cell[], length: number): Validity {
  let nullCount = 0
  for (let row = 0; row < length; row++) if (cells[row] === null) nullCount++
  if (nullCount === 0) return { length, nullCount, nullBitmap: undefined }

  const nullBitmap = new Uint8Array((length + 7) >> 3)
  for (let row = 0; row < length; row++) {
    if (cells[row] !== null) nullBitmap[row >> 3] = (nullBitmap[row >> 3] ?? 0) | (1 << (row & 7))
  }
  return { length, nullCount, nullBitmap }
}

function bigints<A extends BigInt64Array | BigUint64Array>(
  ArrayType: new (length: number) => A,
  cells: readonly Cell[],
  length: number,
): A {
  const values = new ArrayType(length)
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
