import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'

import { isFluxgateError } from '../errors/index.js'
import {
  cpuColumns,
  cpuRow,
  fileEngine,
  queryRows,
  queryValue,
} from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import type { DatabaseStorage } from './storage-engine.js'

describe('retention and table removal', () => {
  let fixture: TestEngine
  let db: DatabaseStorage

  beforeEach(async () => {
    fixture = await fileEngine()
    db = await fixture.engine.open('db')
    await db.ensureColumns('cpu', cpuColumns)
    await db.ensureColumns('mem', [{ name: 'used', type: 'float' }])
    await db.write(
      [
        cpuRow(100n, { host: 'a' }, { usage: 1 }),
        cpuRow(199n, { host: 'a' }, { usage: 2 }),
        cpuRow(200n, { host: 'a' }, { usage: 3 }),
        { table: 'mem', tags: {}, fields: { used: 1 }, time: 150n },
        { table: 'mem', tags: {}, fields: { used: 2 }, time: 250n },
      ],
      { sync: true },
    )
  })

  afterEach(() => fixture.dispose())

  it('deletes every row older than the cutoff, in every table, to the nanosecond', async () => {
    await db.deleteOlderThan(200n)

    assert.deepEqual(await queryRows(db, 'SELECT epoch_ns(time) AS t FROM cpu'), [{ t: 200n }])
    assert.deepEqual(await queryRows(db, 'SELECT epoch_ns(time) AS t FROM mem'), [{ t: 250n }])
  })

  it('accepts writes of old points again after retention ran', async () => {
    await db.deleteOlderThan(1_000n)
    await db.write([cpuRow(100n, { host: 'a' }, { usage: 9 })], { sync: true })

    assert.deepEqual(await queryRows(db, 'SELECT usage FROM cpu'), [{ usage: 9 }])
  })

  it('drops a table with its rows and view, and lets it be created anew', async () => {
    await db.dropTable('cpu')

    await assert.rejects(db.query('SELECT * FROM cpu', {}), (error: unknown) =>
      isFluxgateError(error, 'ERR_QUERY_INVALID'),
    )
    assert.equal(
      await queryValue(db, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'cpu'"),
      0n,
    )

    await db.ensureColumns('cpu', [{ name: 'other', type: 'string' }])
    await db.write([cpuRow(1n, {}, { other: 'x' })], { sync: true })
    assert.deepEqual(await queryRows(db, 'SELECT * FROM cpu'), [{ other: 'x', time: 1n }])
  })

  it('drops a table that does not exist without complaint', async () => {
    await db.dropTable('never')

    assert.equal(await queryValue(db, 'SELECT count(*) FROM mem'), 2n)
  })
})
