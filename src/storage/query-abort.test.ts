import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { isFluxgateError } from '../errors/index.js'
import { fileEngine, queryRows } from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import type { DatabaseStorage } from './storage-engine.js'

const endless = 'SELECT sum(a.range * b.range) AS n FROM range(1000000) a, range(1000000) b'

function isCancelled(error: unknown): boolean {
  return isFluxgateError(error, 'ERR_QUERY_CANCELLED')
}

describe('aborting a query', () => {
  let fixture: TestEngine
  let db: DatabaseStorage

  before(async () => {
    fixture = await fileEngine()
    db = await fixture.engine.open('db')
  })

  after(() => fixture.dispose())

  it('refuses to start once the signal has fired', async () => {
    const controller = new AbortController()
    controller.abort()

    await assert.rejects(db.query('SELECT 1', {}, controller.signal), isCancelled)
  })

  it('interrupts a long query and reports it cancelled', async () => {
    const started = performance.now()

    await assert.rejects(async () => {
      const result = await db.query(endless, {}, AbortSignal.timeout(100))
      for await (const batch of result.batches) assert.fail(`got ${batch.rowCount} rows`)
    }, isCancelled)
    assert.ok(performance.now() - started < 5000)
  })

  it('reports a result cut short while streaming as cancelled, not as complete', async () => {
    const controller = new AbortController()
    const result = await db.query('SELECT range FROM range(100000000)', {}, controller.signal)
    let rows = 0

    await assert.rejects(async () => {
      for await (const batch of result.batches) {
        rows += batch.rowCount
        if (rows > 10_000) controller.abort()
      }
    }, isCancelled)
    assert.ok(rows < 100_000_000)
  })

  it('interrupts a Parquet export and leaves no file behind', async () => {
    await assert.rejects(db.queryParquet(endless, {}, AbortSignal.timeout(100)), isCancelled)

    assert.deepEqual(await readdir(join(fixture.dir, 'db', 'scratch')), [])
  })

  it('keeps the database usable after cancelled queries', async () => {
    assert.deepEqual(await queryRows(db, 'SELECT 42 AS answer'), [{ answer: 42n }])
  })
})
