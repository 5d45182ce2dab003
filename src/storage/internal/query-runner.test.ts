import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'

import { isFluxgateError } from '../../errors/index.js'
import type { DatabaseStorage } from '../storage-engine.js'
import { DuckDBDatabaseStorage } from './duckdb-database-storage.js'
import { runQuery } from './query-runner.js'
import type { QueryHost, QuerySession } from './query-session.js'
import { fileEngine } from './storage-fixtures.js'
import type { TestEngine } from './storage-fixtures.js'
import { TableSchemaStore } from './table-schema-store.js'

const long = 'SELECT range AS n FROM range(100000000)'
const endless = 'SELECT sum(a.range * b.range) AS n FROM range(1000000) a, range(1000000) b'

/** The database as the host, remembering every session and how often each one ended. */
interface RecordingHost extends QueryHost {
  sessions: QuerySession[]
  endings: Map<QuerySession, number>
}

function recordingHost(db: DuckDBDatabaseStorage): RecordingHost {
  const host: RecordingHost = {
    sessions: [],
    endings: new Map(),
    connect: () => db.connect(),
    track(session) {
      host.sessions.push(session)
      db.track(session)
    },
    untrack(session) {
      host.endings.set(session, (host.endings.get(session) ?? 0) + 1)
      db.untrack(session)
    },
  }
  return host
}

/** Asserts that every session of `host` let go of its connection within a second, once. */
async function assertAllReleased(host: RecordingHost): Promise<void> {
  const released = Promise.all(host.sessions.map((session) => session.whenReleased))
  const outcome = await Promise.race([released, sleep(1000, 'late', { ref: false })])

  assert.notEqual(outcome, 'late', 'a session still holds its connection')
  for (const session of host.sessions) assert.equal(host.endings.get(session), 1)
}

function isCancelled(error: unknown): boolean {
  return isFluxgateError(error, 'ERR_QUERY_CANCELLED')
}

describe('reading a query result', () => {
  let fixture: TestEngine
  let db: DuckDBDatabaseStorage
  let schemas: TableSchemaStore

  before(async () => {
    fixture = await fileEngine()
    const opened: DatabaseStorage = await fixture.engine.open('db')
    assert.ok(opened instanceof DuckDBDatabaseStorage)
    db = opened
    const connection = await db.connect()
    schemas = await TableSchemaStore.load(connection)
    connection.closeSync()
  })

  after(() => fixture.dispose())

  it('ends the query and frees its connection when the reader leaves early', async () => {
    const host = recordingHost(db)
    const result = await runQuery(host, schemas, long, {})

    for await (const batch of result.batches) if (batch.rowCount > 0) break

    await assertAllReleased(host)
  })

  it('frees the connection when the signal aborts between batches', async () => {
    const host = recordingHost(db)
    const controller = new AbortController()
    const result = await runQuery(host, schemas, long, {}, controller.signal)

    await assert.rejects(async () => {
      for await (const batch of result.batches) if (batch.rowCount > 0) controller.abort()
    }, isCancelled)
    await assertAllReleased(host)
  })

  it('frees the connection when the signal aborts while the query computes', async () => {
    const host = recordingHost(db)

    await assert.rejects(async () => {
      const result = await runQuery(host, schemas, endless, {}, AbortSignal.timeout(50))
      for await (const batch of result.batches) assert.fail(`got ${batch.rowCount} rows`)
    }, isCancelled)
    await assertAllReleased(host)
  })

  it('frees the connection when the reader fails while writing a batch', async () => {
    const host = recordingHost(db)
    const result = await runQuery(host, schemas, long, {})

    await assert.rejects(async () => {
      for await (const batch of result.batches) throw new Error(`lost ${batch.rowCount} rows`)
    }, /lost/)
    await assertAllReleased(host)
  })

  it('leaves no connection behind after 20 cancelled reads', async () => {
    const host = recordingHost(db)
    for (let round = 0; round < 20; round++) {
      const controller = new AbortController()
      const result = await runQuery(host, schemas, long, {}, controller.signal)
      await assert.rejects(async () => {
        for await (const batch of result.batches) if (batch.rowCount > 0) controller.abort()
      }, isCancelled)
    }

    await assertAllReleased(host)
    const result = await runQuery(host, schemas, 'SELECT 42 AS n', {})
    const columns: unknown[] = []
    for await (const batch of result.batches) columns.push(batch.columns)
    assert.deepEqual(columns, [[[42n]]])
  })
})
