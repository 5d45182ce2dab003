import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'

import { cpuRow, fileEngine, queryRows, queryValue } from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import type { DatabaseStorage } from './storage-engine.js'

const hour = 3_600_000_000_000n
const base = 1_704_067_200_000_000_000n // 2024-01-01T00:00:00Z

describe('InfluxDB 3 SQL functions', () => {
  let fixture: TestEngine
  let db: DatabaseStorage

  before(async () => {
    fixture = await fileEngine()
    db = await fixture.engine.open('db')
    await db.ensureColumns('cpu', [
      { name: 'host', type: 'tag' },
      { name: 'usage', type: 'float' },
    ])
    const points: Array<[string, bigint, number | undefined]> = [
      ['a', base + 1n, 10],
      ['a', base + hour - 1n, 30],
      ['a', base + hour, 20],
      ['a', base + hour + 5n, undefined],
      ['b', base + 7n, 5],
    ]
    await db.write(
      points.map(([host, time, usage]) =>
        cpuRow(time, { host }, usage === undefined ? {} : { usage }),
      ),
      { sync: true },
    )
  })

  after(() => fixture.dispose())

  it('date_bin bins on whole nanoseconds from the Unix epoch', async () => {
    const rows = await queryRows(
      db,
      `SELECT date_bin(INTERVAL '1 hour', time) AS bin, count(*) AS n
       FROM cpu GROUP BY 1 ORDER BY 1`,
    )

    assert.deepEqual(rows, [
      { bin: base, n: 3n },
      { bin: base + hour, n: 2n },
    ])
  })

  it('date_bin keeps nanoseconds that time_bucket would cut to microseconds', async () => {
    const row = (
      await queryRows(
        db,
        `SELECT
           date_bin(INTERVAL '1 microsecond',
             TIMESTAMP_NS '2024-01-01 05:59:59.999999999') AS micro,
           date_bin(INTERVAL '15 minutes', TIMESTAMP_NS '2024-01-01 05:59:59.999999999',
             TIMESTAMP_NS '2024-01-01 00:00:00.000000007') AS with_origin,
           date_bin(INTERVAL '1 second', make_timestamp_ns(-1500000000)) AS before_epoch,
           date_bin(INTERVAL '1 day', TIMESTAMP_NS '2024-03-15 05:00:00',
             '2024-01-01T12:00:00Z') AS text_origin,
           date_bin(INTERVAL '1 month', TIMESTAMP_NS '2024-03-15 05:00:00') AS by_month,
           typeof(date_bin(INTERVAL '1 hour', TIMESTAMP '2024-01-01 05:30:00')) AS type`,
      )
    )[0]

    assert.deepEqual(row, {
      micro: base + 5n * hour + 3_599_999_999_000n,
      with_origin: base + 5n * hour + 2_700_000_000_007n,
      before_epoch: -2_000_000_000n,
      text_origin: 1_710_417_600_000_000_000n,
      by_month: 1_709_251_200_000_000_000n,
      type: 'TIMESTAMP_NS',
    })
  })

  it('now() is the current UTC time as TIMESTAMP_NS and compares with stored times', async () => {
    const now = await queryValue(db, 'SELECT now()')
    const type = await queryValue(db, 'SELECT typeof(now())')
    const recent = await queryValue(
      db,
      "SELECT count(*) FROM cpu WHERE time > now() - INTERVAL '1 hour'",
    )

    assert.equal(type, 'TIMESTAMP_NS')
    assert.equal(typeof now, 'bigint')
    const driftMs = Number((now as bigint) / 1_000_000n) - Date.now()
    assert.ok(Math.abs(driftMs) < 60_000, `now() is ${driftMs} ms away from the clock`)
    assert.equal(recent, 0n)
  })

  it('now() and time zones stay UTC when the process runs in another zone', () => {
    const engine = fileURLToPath(new URL('./duckdb-storage-engine.ts', import.meta.url))
    const script = `
      const { createStorageEngine } = await import(${JSON.stringify(engine)})
      const storage = createStorageEngine({ mode: 'memory' })
      const db = await storage.open('zone')
      const sql = "SELECT epoch_ns(now()) AS now, current_setting('TimeZone') AS zone"
      const result = await db.query(sql, {})
      for await (const batch of result.batches) {
        console.log(JSON.stringify({ now: String(batch.columns[0][0]), zone: batch.columns[1][0] }))
      }
      await storage.close()`
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { env: { ...process.env, TZ: 'Asia/Kolkata' }, encoding: 'utf8' },
    )

    assert.equal(child.status, 0, child.stderr)
    const reported = JSON.parse(child.stdout) as { now: string; zone: string }
    assert.equal(reported.zone, 'UTC')
    const driftMs = Number(BigInt(reported.now) / 1_000_000n) - Date.now()
    assert.ok(Math.abs(driftMs) < 60_000, `now() is ${driftMs} ms away from UTC`)
  })

  it('selector functions return the value and time of the chosen row, skipping nulls', async () => {
    const rows = await queryRows(
      db,
      `SELECT host,
         selector_first(usage, time)['value'] AS first_value,
         selector_first(usage, time)['time'] AS first_time,
         selector_last(usage, time)['value'] AS last_value,
         selector_last(usage, time)['time'] AS last_time,
         selector_max(usage, time)['value'] AS max_value,
         selector_max(usage, time)['time'] AS max_time,
         selector_min(usage, time)['value'] AS min_value,
         selector_min(usage, time)['time'] AS min_time
       FROM cpu GROUP BY host ORDER BY host`,
    )

    assert.deepEqual(rows[0], {
      host: 'a',
      first_value: 10,
      first_time: base + 1n,
      last_value: 20,
      last_time: base + hour,
      max_value: 30,
      max_time: base + hour - 1n,
      min_value: 10,
      min_time: base + 1n,
    })
    assert.equal(rows[1]?.last_value, 5)
  })

  it('approx_percentile_cont estimates a percentile, with or without centroids', async () => {
    const rows = await queryRows(
      db,
      `SELECT approx_percentile_cont(range::DOUBLE, 0.5) AS median,
         approx_percentile_cont(range::DOUBLE, 0.9, 100) AS p90
       FROM range(1001)`,
    )

    const [row] = rows
    assert.ok(Math.abs(Number(row?.median) - 500) <= 5)
    assert.ok(Math.abs(Number(row?.p90) - 900) <= 5)
  })
})
