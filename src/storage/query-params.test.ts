import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { isFluxgateError } from '../errors/index.js'
import { cpuColumns, cpuRow, fileEngine, queryRows } from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import type { DatabaseStorage } from './storage-engine.js'

describe('query parameters', () => {
  let fixture: TestEngine
  let db: DatabaseStorage

  before(async () => {
    fixture = await fileEngine()
    db = await fixture.engine.open('db')
    await db.ensureColumns('cpu', cpuColumns)
    await db.write(
      [
        cpuRow(1_000n, { host: 'a' }, { usage: 0.25, count: 1n }),
        cpuRow(2_000n, { host: 'b' }, { usage: 0.75, count: 2n }),
        cpuRow(3_000n, { host: "o'hara" }, { usage: 0.5 }),
      ],
      { sync: true },
    )
  })

  after(() => fixture.dispose())

  it('binds $name placeholders from strings, numbers, booleans and null', async () => {
    const rows = await queryRows(
      db,
      `SELECT host FROM cpu
       WHERE (host = $host OR usage > $min OR count = $count) AND $on AND $nothing IS NULL
       ORDER BY host`,
      { host: "o'hara", min: 0.7, count: 1, on: true, nothing: null },
    )

    assert.deepEqual(rows, [{ host: 'a' }, { host: 'b' }, { host: "o'hara" }])
  })

  it('binds a timestamp given as text against nanosecond time', async () => {
    const rows = await queryRows(db, 'SELECT host FROM cpu WHERE time > $since ORDER BY time', {
      since: '1970-01-01T00:00:00.000001500Z',
    })

    assert.deepEqual(rows, [{ host: 'b' }, { host: "o'hara" }])
  })

  it('keeps a bound value as data, never as SQL', async () => {
    const rows = await queryRows(db, 'SELECT count(*) AS n FROM cpu WHERE host = $host', {
      host: "a' OR '1'='1",
    })

    assert.deepEqual(rows, [{ n: 0n }])
  })

  it('ignores parameters the query does not use', async () => {
    assert.deepEqual(await queryRows(db, 'SELECT 1 AS one', { unused: 'x' }), [{ one: 1n }])
  })

  it('reports a placeholder without a value in the words of InfluxDB 3', async () => {
    await assert.rejects(db.query('SELECT * FROM cpu WHERE host = $host', {}), (error: unknown) => {
      assert.ok(isFluxgateError(error, 'ERR_QUERY_INVALID'))
      assert.match(error.detail ?? '', /No value found for placeholder with name \$host/)
      return true
    })
  })

  it('binds parameters of a Parquet export the same way', async () => {
    const bytes = await db.queryParquet('SELECT host FROM cpu WHERE host = $host', { host: 'a' })

    assert.equal(Buffer.from(bytes.subarray(0, 4)).toString(), 'PAR1')
    await assert.rejects(
      db.queryParquet('SELECT host FROM cpu WHERE host = $host', {}),
      (error: unknown) => isFluxgateError(error, 'ERR_QUERY_INVALID'),
    )
  })
})
