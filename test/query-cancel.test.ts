import assert from 'node:assert/strict'
import { request } from 'node:http'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'

import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

const small = 'SELECT * FROM cpu'
const large = "SELECT range AS n, repeat('x', 100) AS pad FROM range(200000)"
const endless = 'SELECT sum(a.range * b.range) AS n FROM range(1000000) a, range(1000000) b'

const queryPath = (q: string) => `/api/v3/query_sql?${new URLSearchParams({ db: 'q', q })}`

/** Closes the server, failing once `app.close()` takes longer than `limitMs`. */
async function closeWithin(app: TestServer, limitMs: number): Promise<void> {
  const late = sleep(limitMs, 'late', { ref: false })
  const outcome = await Promise.race([app.close().then(() => 'closed'), late])
  assert.equal(outcome, 'closed', `the server did not stop within ${limitMs} ms`)
}

/** Waits until the server logged `count` finished SQL queries: no answer is left hanging. */
async function untilQueriesFinished(app: TestServer, count: number): Promise<void> {
  const deadline = performance.now() + 5000
  while (finishedQueries(app) < count) {
    if (performance.now() > deadline) assert.fail(`${finishedQueries(app)} of ${count} finished`)
    await sleep(10)
  }
}

function finishedQueries(app: TestServer): number {
  return app.logs.filter(
    (line) => line.includes('"path":"/api/v3/query_sql"') && line.includes('request completed'),
  ).length
}

async function cancelAfterFirstChunk(app: TestServer, q: string): Promise<void> {
  const res = await app.fetch(queryPath(q))
  assert.equal(res.status, 200)
  const reader = res.body?.getReader()
  await reader?.read()
  await reader?.cancel()
}

async function abortAfterFirstChunk(app: TestServer, q: string): Promise<void> {
  const controller = new AbortController()
  const res = await app.fetch(queryPath(q), { signal: controller.signal })
  const reader = res.body?.getReader()
  await reader?.read()
  controller.abort()
  // A small answer may have arrived whole before the abort; a large one ends with an AbortError.
  await reader?.closed.catch(() => undefined)
}

/** Reads the first piece of the answer over node:http, then destroys the socket. */
function destroyAfterFirstChunk(app: TestServer, q: string): Promise<void> {
  const headers = { authorization: `Bearer ${app.operatorToken ?? ''}` }
  return new Promise((resolve, reject) => {
    const req = request(`${app.url}${queryPath(q)}`, { headers }, (res) => {
      res.once('data', () => {
        req.destroy()
        resolve()
      })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('a client that cancels a streamed query answer', () => {
  let app: TestServer

  beforeEach(async () => {
    app = await startTestServer()
    assert.equal((await app.write('q', 'cpu,host=a usage=1 1000')).status, 204)
  })

  afterEach(() => app.close())

  it('leaves a server that still answers and stops promptly (body cancelled)', async () => {
    const res = await app.fetch(queryPath(small))
    await res.body?.cancel()

    assert.deepEqual(await app.sql('q', 'SELECT host FROM cpu'), [{ host: 'a' }])
    await untilQueriesFinished(app, 2)
    await closeWithin(app, 5000)
  })

  it('ends a large answer cancelled midway', async () => {
    await cancelAfterFirstChunk(app, large)

    await untilQueriesFinished(app, 1)
    assert.deepEqual(await app.sql('q', 'SELECT count(*) AS n FROM cpu'), [{ n: 1 }])
    await closeWithin(app, 5000)
  })

  it('ends a large answer whose fetch is aborted midway', async () => {
    await abortAfterFirstChunk(app, large)

    await untilQueriesFinished(app, 1)
    await closeWithin(app, 5000)
  })

  it('ends a large answer whose client destroys its socket midway', async () => {
    await destroyAfterFirstChunk(app, large)

    await untilQueriesFinished(app, 1)
    await closeWithin(app, 5000)
  })

  it('stops a query that is still computing when the client gives up', async () => {
    for (const delayMs of [5, 10, 20, 50]) {
      const controller = new AbortController()
      const pending = app.fetch(queryPath(endless), { signal: controller.signal })
      await sleep(delayMs)
      controller.abort()
      await assert.rejects(pending)
    }

    await untilQueriesFinished(app, 4)
    await closeWithin(app, 5000)
  })

  it('keeps every query usable after 20 cancelled answers', async () => {
    const cancels = [cancelAfterFirstChunk, abortAfterFirstChunk, destroyAfterFirstChunk]
    for (let round = 0; round < 20; round++) {
      const cancel = cancels[round % cancels.length] ?? cancelAfterFirstChunk
      await cancel(app, round % 2 === 0 ? large : small)
    }

    await untilQueriesFinished(app, 20)
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => app.sql('q', 'SELECT 42 AS n')))
    assert.deepEqual(
      answers,
      Array.from({ length: 6 }, () => [{ n: 42 }]),
    )
    await closeWithin(app, 5000)
  })
})
