import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

describe('health, ping and metrics', () => {
  let app: TestServer
  before(async () => {
    app = await startTestServer()
  })
  after(() => app.close())

  it('answers /health and /api/v1/health with OK', async () => {
    for (const path of ['/health', '/api/v1/health']) {
      const res = await app.fetch(path)
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8')
      assert.equal(await res.text(), 'OK')
    }
  })

  it('answers /ping with version headers and JSON, on GET and POST', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await app.fetch('/ping', { method })
      assert.equal(res.status, 200)
      assert.match(res.headers.get('x-influxdb-version') ?? '', /^\d+\.\d+\.\d+$/)
      assert.equal(res.headers.get('x-influxdb-build'), 'Enterprise')
      const body = (await res.json()) as Record<string, string>
      assert.deepEqual(Object.keys(body), ['product_name', 'version', 'revision', 'process_id'])
      assert.equal(body.version, res.headers.get('x-influxdb-version'))
    }
  })

  it('counts requests, lines and queries in /metrics', async () => {
    await app.write('metricsdb', 'm v=1 1\nm v= 2')
    await app.sql('metricsdb', 'SELECT * FROM m')

    const res = await app.fetch('/metrics')
    const text = await res.text()
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8')
    assert.match(text, /^lines_written_total 1$/m)
    assert.match(text, /^lines_rejected_total 1$/m)
    assert.match(text, /^queries_total\{language="sql",outcome="ok"\} 1$/m)
    assert.match(
      text,
      /^http_requests_total\{method="POST",path="\/api\/v3\/write_lp",status="400"\} 1$/m,
    )
    assert.match(text, /http_request_duration_seconds_bucket/)
    assert.ok(text.endsWith('# EOF\n'))
  })
})
