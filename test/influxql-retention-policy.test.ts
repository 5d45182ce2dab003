import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

// A v1 write with a retention policy other than autogen lands in the database `<db>/<rp>`;
// InfluxQL reads it back through the same name, whichever way the policy is given.
describe('InfluxQL on a retention policy’s database', () => {
  let app: TestServer

  before(async () => {
    app = await startTestServer()
    const writes = [
      ['/write?db=metrics', 'mem used=1 1'],
      ['/write?db=metrics&rp=Weekly', 'mem used=11 1'],
    ] as const
    for (const [path, body] of writes) {
      assert.equal((await app.fetch(path, { method: 'POST', body })).status, 204, path)
    }
  })
  after(() => app.close())

  const v3Used = async (params: Record<string, string>): Promise<unknown[]> => {
    const res = await app.fetch(`/api/v3/query_influxql?${new URLSearchParams(params)}`)
    const text = await res.text()
    assert.equal(res.status, 200, text)
    return (JSON.parse(text) as Array<{ used: unknown }>).map((row) => row.used)
  }
  const v1Series = async (params: Record<string, string>): Promise<string> => {
    const res = await app.fetch(`/query?${new URLSearchParams(params)}`)
    const text = await res.text()
    assert.equal(res.status, 200, text)
    const body = JSON.parse(text) as { results: Array<{ series?: unknown[] }> }
    return JSON.stringify(body.results[0]?.series ?? [])
  }

  it('reads the policy named in FROM, in any case, on /api/v3/query_influxql', async () => {
    for (const from of ['weekly.mem', 'metrics.weekly.mem', '"Weekly".mem', 'metrics.WEEKLY.mem']) {
      assert.deepEqual(await v3Used({ db: 'metrics', q: `SELECT used FROM ${from}` }), [11], from)
    }
    assert.deepEqual(await v3Used({ db: 'metrics', q: 'SELECT used FROM mem' }), [1])
    assert.deepEqual(await v3Used({ db: 'metrics', q: 'SELECT used FROM autogen.mem' }), [1])
  })

  it('reads the rp parameter, or the policy the query names, on /query', async () => {
    const weekly = await v1Series({ db: 'metrics', rp: 'weekly', q: 'SELECT used FROM mem' })
    const named = await v1Series({ db: 'metrics', q: 'SELECT used FROM weekly.mem' })
    const autogen = await v1Series({ db: 'metrics', rp: 'autogen', q: 'SELECT used FROM mem' })

    assert.match(weekly, /"values":\[\["1970-01-01T00:00:00.000000001Z",11\]\]/)
    assert.equal(named, weekly)
    assert.match(autogen, /"values":\[\["1970-01-01T00:00:00.000000001Z",1\]\]/)
  })
})
