import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { RecordBatchReader } from 'apache-arrow'
import type { RecordBatch } from 'apache-arrow'

import type { ResultBatch, ResultColumn } from '../storage/index.js'
import { columnTypeKey } from './arrow-batch-encoder.js'
import { FlightDataEncoder } from './flight-data-encoder.js'
import type { FlightData } from './flight-data-encoder.js'

const columns: ResultColumn[] = [
  { name: 'host', type: 'string', influxType: 'tag' },
  { name: 'time', type: 'timestamp', influxType: 'time' },
  { name: 'usage', type: 'float64', influxType: 'float' },
  { name: 'count', type: 'int64', influxType: 'integer' },
  { name: 'big', type: 'uint64', influxType: 'uinteger' },
  { name: 'ok', type: 'boolean', influxType: 'boolean' },
  { name: 'note', type: 'string', influxType: 'string' },
  { name: 'total', type: 'int64' },
]

const batch: ResultBatch = {
  rowCount: 3,
  columns: [
    ['a', 'b', null],
    [1700000000123456789n, -1n, 9223372036854775807n],
    [0.5, null, -1e300],
    [-9223372036854775808n, 0n, null],
    [18446744073709551615n, null, 1n],
    [true, false, null],
    ['é ✓ 𝄞', '', null],
    [1n, 2n, 3n],
  ],
}

// What the v3 client does with each FlightData: prefix, header, body, fed to a stream reader.
function decode(messages: FlightData[]): RecordBatch[] {
  function* stream() {
    for (const { data_header, data_body } of messages) {
      const prefix = new Uint8Array(8)
      new DataView(prefix.buffer).setUint32(0, 0xffffffff, true)
      new DataView(prefix.buffer).setInt32(4, data_header.byteLength, true)
      yield prefix
      yield data_header
      yield data_body
    }
  }
  return [...RecordBatchReader.from(stream())]
}

function valuesOf(batch: RecordBatch, name: string): unknown[] {
  const vector = batch.getChild(name)
  assert.ok(vector !== null, name)
  return Array.from({ length: batch.numRows }, (_, row) => vector.get(row) as unknown)
}

describe('FlightDataEncoder', () => {
  it('sends the schema first, then one message per batch', () => {
    const encoder = new FlightDataEncoder(columns)

    assert.equal(encoder.encode(batch).length, 2)
    assert.equal(encoder.encode(batch).length, 1)
    assert.deepEqual(encoder.finish(), [])
  })

  it('sends the schema alone for an empty result', () => {
    const messages = new FlightDataEncoder(columns).finish()

    assert.equal(messages.length, 1)
    const decoded = decode(messages)
    assert.equal(
      decoded.reduce((rows, batch) => rows + batch.numRows, 0),
      0,
    )
  })

  it('keeps every value, null and nanosecond exact', () => {
    const encoder = new FlightDataEncoder(columns)
    const [decoded] = decode([...encoder.encode(batch), ...encoder.finish()])
    assert.ok(decoded !== undefined)

    const time: unknown = decoded.getChild('time')?.data[0]?.values
    assert.ok(time instanceof BigInt64Array)
    assert.deepEqual([...time], [1700000000123456789n, -1n, 9223372036854775807n])
    assert.deepEqual(valuesOf(decoded, 'host'), ['a', 'b', null])
    assert.deepEqual(valuesOf(decoded, 'usage'), [0.5, null, -1e300])
    assert.deepEqual(valuesOf(decoded, 'count'), [-9223372036854775808n, 0n, null])
    assert.deepEqual(valuesOf(decoded, 'big'), [18446744073709551615n, null, 1n])
    assert.deepEqual(valuesOf(decoded, 'ok'), [true, false, null])
    assert.deepEqual(valuesOf(decoded, 'note'), ['é ✓ 𝄞', '', null])
  })

  it('describes columns with Arrow types and iox column types', () => {
    const encoder = new FlightDataEncoder(columns)
    const [decoded] = decode([...encoder.encode(batch), ...encoder.finish()])
    assert.ok(decoded !== undefined)

    const fields = decoded.schema.fields
    assert.deepEqual(
      fields.map((field) => String(field.type)),
      ['Utf8', 'Timestamp<NANOSECOND>', 'Float64', 'Int64', 'Uint64', 'Bool', 'Utf8', 'Int64'],
    )
    assert.deepEqual(
      fields.map((field) => field.metadata.get(columnTypeKey)),
      [
        'iox::column_type::tag',
        'iox::column_type::timestamp',
        'iox::column_type::field::float',
        'iox::column_type::field::integer',
        'iox::column_type::field::uinteger',
        'iox::column_type::field::boolean',
        'iox::column_type::field::string',
        undefined,
      ],
    )
  })
})
