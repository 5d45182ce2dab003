import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'

import { isFluxgateError } from '../../errors/index.js'
import type { DatabaseStorage } from '../storage-engine.js'
import { DuckDBDatabaseStorage } from './duckdb-database-storage.js'
import { QuerySession } from './query-session.js'
import type { QueryHost } from './query-session.js'
import { cpuColumns, cpuRow, fileEngine } from './storage-fixtures.js'
import type { TestEngine } from './storage-fixtures.js'

/** The database itself as the host, counting the connections it opens. */
function countingHost(db: DuckDBDatabaseStorage): QueryHost & { connections: number } {
  const host = {
    connections: 0,
    connect() {
      host.connections++
      return db.connect()
    },
    track: (session: QuerySession) => db.track(session),
    untrack: (session: QuerySession) => db.untrack(session),
  }
  return host
}

async function endedCleanly(host: QueryHost): Promise<QuerySession> {
  const session = await QuerySession.start(host)
  await session.endChecked()
  session.recycle()
  return session
}

const endless = 'SELECT sum(a.range * b.range) AS n FROM range(1000000) a, range(1000000) b'

/**
 * Starts the endless query through `guard` and calls `cut` right after DuckDB was asked to run
 * it, before it can have started executing: an interrupt at that moment alone is lost.
 */
async function cutWhileStarting(session: QuerySession, cut: () => void): Promise<unknown> {
  const prepared = await session.connection.prepare(endless)
  const running = session.guard(() => {
    const streaming = prepared.stream()
    cut()
    return streaming
  })
  const outcome = await Promise.race([
    running.then(
      () => 'finished',
      (error: unknown) => error,
    ),
    sleep(5000, 'still running', { ref: false }),
  ])

  prepared.destroySync()
  return outcome
}

async function countRows(session: QuerySession): Promise<unknown> {
  const reader = await session.connection.runAndReadAll('SELECT count(*) FROM cpu')
  return reader.getRows()[0]?.[0]
}

describe('query sessions', () => {
  let fixture: TestEngine
  let db: DuckDBDatabaseStorage

  before(async () => {
    fixture = await fileEngine()
    const opened: DatabaseStorage = await fixture.engine.open('db')
    assert.ok(opened instanceof DuckDBDatabaseStorage)
    db = opened
    await db.ensureColumns('cpu', cpuColumns)
  })

  after(() => fixture.dispose())

  it('hands the connection of a cleanly ended query to the next one', async () => {
    const host = countingHost(db)
    const first = await endedCleanly(host)

    const second = await QuerySession.start(host)
    second.release()

    assert.equal(host.connections, 1)
    assert.equal(second.connection, first.connection)
    await first.whenReleased
  })

  it('closes the connection of a query that failed or stopped early', async () => {
    const host = countingHost(db)
    const failed = await QuerySession.start(host)
    failed.release()

    const next = await QuerySession.start(host)
    next.release()

    assert.equal(host.connections, 2)
    assert.notEqual(next.connection, failed.connection)
  })

  it('sees rows written after the connection was parked', async () => {
    await db.write([cpuRow(1n, { host: 'a' }, { usage: 1 })], { sync: true })
    const first = await QuerySession.start(db)
    assert.equal(await countRows(first), 1n)
    await first.endChecked()
    first.recycle()

    await db.write([cpuRow(2n, { host: 'b' }, { usage: 2 })], { sync: true })
    const second = await QuerySession.start(db)
    try {
      assert.equal(second.connection, first.connection)
      assert.equal(await countRows(second), 2n)
    } finally {
      second.release()
    }
  })

  it('keeps at most four idle connections', async () => {
    const host = countingHost(db)
    const starts = () => Array.from({ length: 6 }, () => endedCleanly(host))
    await Promise.all(starts())

    await Promise.all(starts())

    assert.equal(host.connections, 6 + 2)
  })

  it('closes parked connections when the database closes', async () => {
    const other = await fixture.engine.open('other')
    assert.ok(other instanceof DuckDBDatabaseStorage)
    const parked = await endedCleanly(other)

    await other.close()

    await parked.whenReleased
    await assert.rejects(parked.connection.run('SELECT 1'))
  })

  it('stops a statement that had not started executing when the signal fired', async () => {
    const controller = new AbortController()
    const session = await QuerySession.start(db, controller.signal)

    const outcome = await cutWhileStarting(session, () => controller.abort())

    session.release()
    assert.ok(isFluxgateError(outcome, 'ERR_QUERY_CANCELLED'), String(outcome))
    await session.whenReleased
  })

  it('stops a statement that had not started executing when the session stopped', async () => {
    const session = await QuerySession.start(db)

    const outcome = await cutWhileStarting(session, () => session.stop())

    assert.ok(isFluxgateError(outcome, 'ERR_SHUTTING_DOWN'), String(outcome))
    await session.whenReleased
  })
})
