import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { gunzipSync } from 'node:zlib'

import { buildWriteRequest } from './line-protocol-writer.js'
import type { WriteSettings } from './line-protocol-writer.js'

const plain: WriteSettings = {
  database: 'metrics',
  acceptPartial: false,
  noSync: false,
  gzip: false,
}

describe('buildWriteRequest', () => {
  it('posts the bytes as text to write_lp for the database', async () => {
    const bytes = Buffer.from('cpu v=1\n')
    const request = await buildWriteRequest(bytes, plain)

    assert.equal(request.method, 'POST')
    assert.equal(request.path, '/api/v3/write_lp')
    assert.deepEqual(request.body, bytes)
    assert.equal(request.headers?.['content-type'], 'text/plain; charset=utf-8')
    assert.equal(request.headers?.['content-encoding'], undefined)
  })

  it('leaves accept_partial, no_sync and precision to the server unless they are set', async () => {
    const { query } = await buildWriteRequest(Buffer.from('cpu v=1'), plain)

    assert.deepEqual(query, {
      db: 'metrics',
      precision: undefined,
      accept_partial: undefined,
      no_sync: undefined,
    })
  })

  it('sends accept_partial, no_sync and precision when set', async () => {
    const settings = { ...plain, acceptPartial: true, noSync: true, precision: 'ms' as const }
    const { query } = await buildWriteRequest(Buffer.from('cpu v=1'), settings)

    assert.deepEqual(query, {
      db: 'metrics',
      precision: 'ms',
      accept_partial: 'true',
      no_sync: 'true',
    })
  })

  it('gzips the body and says so in Content-Encoding with --gzip', async () => {
    const bytes = Buffer.from('cpu,host=a usage=0.5 1\n'.repeat(100))
    const request = await buildWriteRequest(bytes, { ...plain, gzip: true })

    assert.equal(request.headers?.['content-encoding'], 'gzip')
    assert.ok(request.body !== undefined && request.body.length < bytes.length)
    assert.deepEqual(gunzipSync(request.body ?? Buffer.alloc(0)), bytes)
  })
})
