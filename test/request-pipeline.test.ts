import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'

import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

describe('request pipeline', () => {
  let app: TestServer
  before(async () => {
    app = await startTestServer({ maxHttpRequestSize: 1024 })
  })
  after(() => app.close())

  it('answers any OPTIONS request with the CORS preflight', async () => {
    const res = await app.fetch('/anything/at/all', { method: 'OPTIONS' })
    assert.equal(res.status, 204)
    assert.equal(res.headers.get('access-control-allow-origin'), '*')
    assert.equal(res.headers.get('access-control-allow-methods'), '*')
    assert.equal(res.headers.get('access-control-allow-headers'), '*')
    assert.equal(res.headers.get('access-control-max-age'), '86400')
  })

  it('sends CORS, cluster and request-id headers on every answer', async () => {
    const res = await app.fetch('/health')
    const id = res.headers.get('request-id')
    assert.match(id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(res.headers.get('x-request-id'), id)
    assert.equal(res.headers.get('access-control-allow-origin'), '*')
    assert.match(res.headers.get('cluster-uuid') ?? '', /^[0-9a-f-]{36}$/)
  })

  it('answers an unknown path, or a wrong method, with 404 Not found', async () => {
    const unknown = await app.fetch('/nope')
    assert.equal(unknown.status, 404)
    assert.equal(await unknown.text(), 'Not found')

    const wrongMethod = await app.fetch('/api/v3/write_lp?db=x', { method: 'GET' })
    assert.equal(wrongMethod.status, 404)
  })

  it('refuses a body over the limit with 413', async () => {
    const res = await app.write('big', `m v=1 ${'1'.repeat(2000)}`)
    assert.equal(res.status, 413)
    assert.equal(await res.text(), 'max request size (1024 bytes) exceeded')
  })

  it('refuses a gzip body that inflates past the limit with 413', async () => {
    const body = gzipSync(`m v=1 1\n`.repeat(500))
    const res = await app.fetch('/api/v3/write_lp?db=big', {
      method: 'POST',
      body,
      headers: { 'content-encoding': 'gzip' },
    })
    assert.equal(res.status, 413)
  })

  it('decodes multi-member gzip bodies, empty members included', async () => {
    const body = Buffer.concat([gzipSync('gz v=1 1\n'), gzipSync(''), gzipSync('gz v=2 2\n')])
    const res = await app.fetch('/api/v3/write_lp?db=gzipped&precision=s', {
      method: 'POST',
      body,
      headers: { 'content-encoding': 'gzip' },
    })
    assert.equal(res.status, 204)
    assert.deepEqual(await app.sql('gzipped', 'SELECT v FROM gz ORDER BY time'), [
      { v: 1 },
      { v: 2 },
    ])
  })

  it('refuses unknown encodings and corrupt gzip with 400', async () => {
    const br = await app.fetch('/api/v3/write_lp?db=x', {
      method: 'POST',
      body: 'm v=1',
      headers: { 'content-encoding': 'br' },
    })
    assert.equal(br.status, 400)
    assert.equal(await br.text(), 'unacceptable content-encoding: br')

    const corrupt = await app.fetch('/api/v3/write_lp?db=x', {
      method: 'POST',
      body: 'not gzip at all',
      headers: { 'content-encoding': 'gzip' },
    })
    assert.equal(corrupt.status, 400)
    assert.match(await corrupt.text(), /^error decoding gzip stream: /)
  })

  it('refuses a JSON endpoint without a JSON content type with 415', async () => {
    const res = await app.fetch('/api/v3/configure/database', {
      method: 'POST',
      body: '{"db":"x"}',
    })
    assert.equal(res.status, 415)
    assert.equal(await res.text(), 'unacceptable content-type, expected: application/json')
  })

  it('refuses invalid JSON with 400 serde json error', async () => {
    const res = await app.fetch('/api/v3/configure/database', {
      method: 'POST',
      body: '{"db":',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
    assert.equal(res.status, 400)
    assert.match(await res.text(), /^serde json error: /)
  })

  it('refuses a body that is not UTF-8', async () => {
    const res = await app.fetch('/api/v3/write_lp?db=x', {
      method: 'POST',
      body: Buffer.from([0x6d, 0x20, 0xff, 0xfe]),
    })
    assert.equal(res.status, 400)
    assert.match(await res.text(), /^body content is not valid utf8: /)
  })

  it('answers a request target that is no URL with 400, not a dropped connection', async () => {
    const { createConnection } = await import('node:net')
    const { port } = new URL(app.url)
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = createConnection(Number(port), '127.0.0.1', () => {
        socket.write('GET //[::1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
      })
      let text = ''
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()))
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
    })
    assert.match(answer, /^HTTP\/1\.1 400 /)
    assert.match(answer, /\r\ninvalid request target\r\n/)
  })

  it('keeps serving after a client drops its connection mid-body', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${app.url}/api/v3/write_lp?db=dropped`, {
        method: 'POST',
        headers: { 'content-length': '500' },
      })
      req.on('error', () => resolve())
      req.write('m v=1 1\n')
      setTimeout(() => {
        req.destroy()
        resolve()
      }, 50)
    })

    const res = await app.fetch('/health')
    assert.equal(res.status, 200)
  })
})
