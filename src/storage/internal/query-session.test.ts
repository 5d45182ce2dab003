import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

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
})
