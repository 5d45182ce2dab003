import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'

import { isFluxgateError } from '../errors/index.js'
import type { CommitEvent } from './duckdb-storage-engine.js'
import { cpuColumns, cpuRow, fileEngine, queryValue } from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import type { DatabaseStorage } from './storage-engine.js'

describe('group commit', () => {
  let fixture: TestEngine
  let db: DatabaseStorage
  let commits: CommitEvent[]
  let backgroundErrors: unknown[]

  beforeEach(async () => {
    commits = []
    backgroundErrors = []
    fixture = await fileEngine({
      onCommit: (event) => commits.push(event),
      onBackgroundError: (error) => backgroundErrors.push(error),
    })
    db = await fixture.engine.open('db')
    await db.ensureColumns('cpu', cpuColumns)
  })

  afterEach(() => fixture.dispose())

  it('commits concurrent writes together, in far fewer commits than writes', async () => {
    const writes = Array.from({ length: 200 }, (_, index) =>
      db.write([cpuRow(BigInt(index), { host: `h${index}` }, { usage: index })], { sync: true }),
    )
    await Promise.all(writes)

    assert.equal(await queryValue(db, 'SELECT count(*) FROM cpu'), 200n)
    assert.equal(
      commits.reduce((sum, commit) => sum + commit.writes, 0),
      200,
    )
    assert.ok(commits.length < 20, `${commits.length} commits for 200 writes`)
    assert.ok(commits.some((commit) => commit.writes > 1))
    assert.equal(commits[0]?.key, 'db')
  })

  it('resolves a write only once its rows are committed and visible', async () => {
    for (let index = 0; index < 5; index++) {
      await db.write([cpuRow(BigInt(index), { host: 'a' }, { usage: index })], { sync: true })

      assert.equal(await queryValue(db, 'SELECT count(*) FROM cpu'), BigInt(index + 1))
      assert.equal(commits.length, index + 1)
    }
  })

  it('lets one failing write fail alone when it shares a commit', async () => {
    await db.ensureColumns('mem', [{ name: 'used', type: 'float' }])
    const dropped = db.dropTable('mem')
    const good = db.write([cpuRow(1n, { host: 'a' }, { usage: 1 })], { sync: true })
    const bad = db.write([{ table: 'mem', tags: {}, fields: { used: 1 }, time: 1n }], {
      sync: true,
    })
    const alsoGood = db.write([cpuRow(2n, { host: 'b' }, { usage: 2 })], { sync: true })

    await dropped
    await good
    await assert.rejects(bad, (error: unknown) => isFluxgateError(error, 'ERR_INTERNAL'))
    await alsoGood
    assert.equal(await queryValue(db, 'SELECT count(*) FROM cpu'), 2n)
  })

  it('lays out a write queued behind a schema change for the new schema', async () => {
    const widened = db.ensureColumns('cpu', [{ name: 'zone', type: 'tag' }])
    const written = db.write([cpuRow(1n, { host: 'a' }, { usage: 1 })], { sync: true })
    await Promise.all([widened, written])

    assert.equal(await queryValue(db, 'SELECT count(*) FROM cpu WHERE zone IS NULL'), 1n)
  })

  it('reports a failed commit of a no_sync write to the background error hook', async () => {
    await db.ensureColumns('mem', [{ name: 'used', type: 'float' }])
    const dropped = db.dropTable('mem')
    await db.write([{ table: 'mem', tags: {}, fields: { used: 1 }, time: 1n }], { sync: false })
    await dropped
    await db.write([cpuRow(1n, { host: 'a' }, { usage: 1 })], { sync: true })

    assert.equal(backgroundErrors.length, 1)
  })

  it('refuses rows that do not match the stored schema before they reach a commit', async () => {
    const mistakes = [
      cpuRow(1n, { host: 'a' }, { usage: 'high' }),
      cpuRow(1n, { host: 'a' }, { missing: 1 }),
      cpuRow(1n, { usage: 'a' }, {}),
      cpuRow(1n, {}, { count: 1.5 }),
      cpuRow(2n ** 63n, { host: 'a' }, { usage: 1 }),
      { table: 'nowhere', tags: {}, fields: {}, time: 1n },
    ]

    for (const row of mistakes) {
      await assert.rejects(db.write([row], { sync: true }), (error: unknown) =>
        isFluxgateError(error, 'ERR_INTERNAL'),
      )
    }
    assert.equal(commits.length, 0)
  })

  it('refuses writes and queries once the database is closed', async () => {
    await db.close()

    await assert.rejects(
      db.write([cpuRow(1n, { host: 'a' }, { usage: 1 })], { sync: true }),
      (error: unknown) => isFluxgateError(error, 'ERR_SHUTTING_DOWN'),
    )
    await assert.rejects(db.query('SELECT 1', {}), (error: unknown) =>
      isFluxgateError(error, 'ERR_SHUTTING_DOWN'),
    )
  })
})
