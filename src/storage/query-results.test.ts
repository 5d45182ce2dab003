import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { cpuColumns, cpuRow, fileEngine, queryRows } from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import type { DatabaseStorage } from './storage-engine.js'

describe('query results', () => {
  let fixture: TestEngine
  let db: DatabaseStorage

  before(async () => {
    fixture = await fileEngine()
    db = await fixture.engine.open('db')
    await db.ensureColumns('cpu', [
      ...cpuColumns,
      { name: 'free', type: 'uinteger' },
      { name: 'note', type: 'string' },
      { name: 'up', type: 'boolean' },
    ])
    await db.write(
      [
        cpuRow(
          1_704_067_200_123_456_789n,
          { host: 'a', region: 'eu' },
          { usage: 0.5, count: -3n, free: 18_446_744_073_709_551_615n, note: 'hi', up: true },
        ),
      ],
      { sync: true },
    )
  })

  after(() => fixture.dispose())

  it('gives stored columns their InfluxDB role and nanosecond times as bigint', async () => {
    const result = await db.query('SELECT * FROM cpu', {})
    const rows = await queryRows(db, 'SELECT * FROM cpu')

    assert.deepEqual(result.columns, [
      { name: 'count', type: 'int64', influxType: 'integer' },
      { name: 'free', type: 'uint64', influxType: 'uinteger' },
      { name: 'host', type: 'string', influxType: 'tag' },
      { name: 'note', type: 'string', influxType: 'string' },
      { name: 'region', type: 'string', influxType: 'tag' },
      { name: 'time', type: 'timestamp', influxType: 'time' },
      { name: 'up', type: 'boolean', influxType: 'boolean' },
      { name: 'usage', type: 'float64', influxType: 'float' },
    ])
    assert.deepEqual(rows, [
      {
        count: -3n,
        free: 18_446_744_073_709_551_615n,
        host: 'a',
        note: 'hi',
        region: 'eu',
        time: 1_704_067_200_123_456_789n,
        up: true,
        usage: 0.5,
      },
    ])
    for await (const batch of result.batches) assert.equal(batch.rowCount, 1)
  })

  it('leaves the role of computed columns unset', async () => {
    const result = await db.query('SELECT count(*) AS host, avg(usage) AS mean FROM cpu', {})
    for await (const batch of result.batches) assert.equal(batch.rowCount, 1)

    assert.deepEqual(
      result.columns.map((column) => column.influxType),
      [undefined, undefined],
    )
  })

  it('converts every DuckDB time type to nanoseconds without losing precision', async () => {
    const [row] = await queryRows(
      db,
      `SELECT TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS ns,
         TIMESTAMP '2024-01-01 00:00:00.123456' AS us,
         TIMESTAMP_MS '2024-01-01 00:00:00.123' AS ms,
         TIMESTAMP_S '2024-01-01 00:00:01' AS s,
         TIMESTAMPTZ '2024-01-01 00:00:00.5+00' AS tz,
         DATE '2024-01-02' AS day,
         TIMESTAMP_NS '1969-12-31 23:59:59.999999999' AS before_epoch`,
    )

    assert.deepEqual(row, {
      ns: 1_704_067_200_123_456_789n,
      us: 1_704_067_200_123_456_000n,
      ms: 1_704_067_200_123_000_000n,
      s: 1_704_067_201_000_000_000n,
      tz: 1_704_067_200_500_000_000n,
      day: 1_704_153_600_000_000_000n,
      before_epoch: -1n,
    })
  })

  it('converts numbers, text, booleans, nulls and nested values by type', async () => {
    const result = await db.query(
      `SELECT 1::TINYINT AS tiny, 2::INTEGER AS int,
         170141183460469231731687303715884105727::HUGEINT AS huge,
         3::UINTEGER AS uint, 1.5::FLOAT AS float, 2.25::DECIMAL(10, 2) AS dec, 'x' AS text,
         false AS flag, NULL::DOUBLE AS nothing, [1, 2] AS list, {'a': 1} AS struct,
         INTERVAL '1 hour' AS span`,
      {},
    )

    const types = result.columns.map((column) => [column.name, column.type])
    const values: unknown[] = []
    for await (const batch of result.batches)
      values.push(...batch.columns.map((column) => column[0]))

    assert.deepEqual(types, [
      ['tiny', 'int64'],
      ['int', 'int64'],
      ['huge', 'int64'],
      ['uint', 'uint64'],
      ['float', 'float64'],
      ['dec', 'float64'],
      ['text', 'string'],
      ['flag', 'boolean'],
      ['nothing', 'float64'],
      ['list', 'other'],
      ['struct', 'other'],
      ['span', 'other'],
    ])
    assert.deepEqual(values, [
      1n,
      2n,
      170_141_183_460_469_231_731_687_303_715_884_105_727n,
      3n,
      1.5,
      2.25,
      'x',
      false,
      null,
      '[1, 2]',
      "{'a': 1}",
      '01:00:00',
    ])
  })

  it('streams ten million rows in chunks without holding them', async () => {
    const result = await db.query('SELECT range AS n, range * 2 AS twice FROM range(10000000)', {})
    const heapBefore = process.memoryUsage().heapUsed
    let rows = 0
    let sum = 0n
    let largestBatch = 0
    let heapPeak = heapBefore

    for await (const batch of result.batches) {
      rows += batch.rowCount
      sum += (batch.columns[1]?.[batch.rowCount - 1] as bigint | undefined) ?? 0n
      largestBatch = Math.max(largestBatch, batch.rowCount)
      if (rows % 1_000_000 < batch.rowCount) {
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
      }
    }

    assert.equal(rows, 10_000_000)
    assert.ok(sum > 0n)
    assert.ok(largestBatch <= 2048)
    assert.ok(heapPeak - heapBefore < 200 * 1024 * 1024, `heap grew ${heapPeak - heapBefore}`)
  })

  it('frees the query when the reader stops early', async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const result = await db.query('SELECT range FROM range(100000000)', {})
      for await (const batch of result.batches) {
        assert.ok(batch.rowCount > 0)
        break
      }
    }

    assert.deepEqual(await queryRows(db, 'SELECT count(*) AS n FROM cpu'), [{ n: 1n }])
  })
})
