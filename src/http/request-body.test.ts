import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer, request } from 'node:http'
import type { IncomingHttpHeaders, OutgoingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'

import { FluxgateError } from '../errors/index.js'
import { decodeUtf8, parseJsonBody, readRequestBody } from './request-body.js'

const limit = 128
const tooLarge = { code: 'ERR_BODY_TOO_LARGE', detail: 'max request size (128 bytes) exceeded' }

type Outcome = { body: string } | { code: string; detail: string | undefined }

/** Answers each request with the body readRequestBody read, or the error it threw, as JSON. */
function startEchoServer(): Server {
  return createServer((req, res) => {
    readRequestBody(req, limit).then(
      (body) => res.end(JSON.stringify({ body: body.toString('latin1') })),
      (error: unknown) => {
        const known = error instanceof FluxgateError ? error : undefined
        res.end(JSON.stringify({ code: known?.code ?? String(error), detail: known?.detail }))
      },
    )
  })
}

describe('readRequestBody over a real connection', () => {
  let server: Server
  let port = 0

  before(async () => {
    server = startEchoServer()
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as AddressInfo).port
  })

  after(async () => {
    server.closeAllConnections()
    server.close()
    await once(server, 'close')
  })

  /** Sends one chunk with a Content-Length, or several chunks with chunked transfer encoding. */
  async function send(
    body: Buffer | Buffer[],
    headers: OutgoingHttpHeaders = {},
  ): Promise<Outcome> {
    const chunks = Array.isArray(body) ? body : [body]
    const sized = Array.isArray(body) ? {} : { 'content-length': body.length }
    const req = request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      agent: false,
      headers: { ...sized, ...headers },
    })
    for (const chunk of chunks) req.write(chunk)
    req.end()

    const [res] = (await once(req, 'response')) as [AsyncIterable<Buffer>]
    const parts: Buffer[] = []
    for await (const part of res) parts.push(part)
    return JSON.parse(Buffer.concat(parts).toString()) as Outcome
  }

  it('returns the body as sent when Content-Encoding is absent, empty or identity', async () => {
    const body = Buffer.from('cpu v=1\ncpu v=2')

    assert.deepEqual(await send(body), { body: 'cpu v=1\ncpu v=2' })
    assert.deepEqual(await send(body, { 'content-encoding': '' }), { body: 'cpu v=1\ncpu v=2' })
    assert.deepEqual(await send(body, { 'content-encoding': 'Identity' }), {
      body: 'cpu v=1\ncpu v=2',
    })
    assert.deepEqual(await send(Buffer.alloc(0)), { body: '' })
  })

  it('accepts a body of exactly the limit', async () => {
    assert.deepEqual(await send(Buffer.alloc(limit, 'a')), { body: 'a'.repeat(limit) })
  })

  it('refuses a body one byte over the limit, with or without a Content-Length', async () => {
    assert.deepEqual(await send(Buffer.alloc(limit + 1, 'a')), tooLarge)
    assert.deepEqual(await send([Buffer.alloc(100, 'a'), Buffer.alloc(29, 'b')]), tooLarge)
  })

  it('joins a chunked body', async () => {
    const chunks = [Buffer.from('cpu '), Buffer.from('v=1'), Buffer.from('\n')]

    assert.deepEqual(await send(chunks), { body: 'cpu v=1\n' })
  })

  it('decompresses gzip, whatever the case of the encoding name', async () => {
    const body = gzipSync('cpu v=1')

    assert.deepEqual(await send(body, { 'content-encoding': 'gzip' }), { body: 'cpu v=1' })
    assert.deepEqual(await send(body, { 'content-encoding': ' GZIP ' }), { body: 'cpu v=1' })
  })

  it('decompresses several gzip members, empty ones included, into one body', async () => {
    const body = Buffer.concat([gzipSync('cpu v=1\n'), gzipSync(''), gzipSync('cpu v=2')])

    assert.deepEqual(await send(body, { 'content-encoding': 'gzip' }), {
      body: 'cpu v=1\ncpu v=2',
    })
  })

  it('reads an empty gzip body as empty', async () => {
    assert.deepEqual(await send(Buffer.alloc(0), { 'content-encoding': 'gzip' }), { body: '' })
  })

  it('applies the limit to the decompressed body too', async () => {
    const atLimit = gzipSync(Buffer.alloc(limit, 'a'))
    const overLimit = gzipSync(Buffer.alloc(limit + 1, 'a'))
    assert.ok(overLimit.length < limit, 'the compressed body itself fits the limit')

    assert.deepEqual(await send(atLimit, { 'content-encoding': 'gzip' }), {
      body: 'a'.repeat(limit),
    })
    assert.deepEqual(await send(overLimit, { 'content-encoding': 'gzip' }), tooLarge)
  })

  it('applies the limit to the compressed body before decompressing', async () => {
    const compressed = gzipSync(randomBytes(limit))
    assert.ok(compressed.length > limit)

    assert.deepEqual(await send(compressed, { 'content-encoding': 'gzip' }), tooLarge)
  })

  it('refuses an encoding other than gzip and identity, naming it as sent', async () => {
    for (const encoding of ['br', 'deflate', 'x-gzip', 'gzip, identity']) {
      assert.deepEqual(
        await send(Buffer.from('cpu v=1'), { 'content-encoding': encoding }),
        { code: 'ERR_BAD_CONTENT_ENCODING', detail: encoding },
        encoding,
      )
    }
  })

  it('refuses a corrupt or truncated gzip body with the decoder message', async () => {
    const whole = gzipSync('cpu v=1')
    const corrupt = await send(Buffer.from('not gzip'), { 'content-encoding': 'gzip' })
    const truncated = await send(whole.subarray(0, whole.length - 4), {
      'content-encoding': 'gzip',
    })

    assert.deepEqual(corrupt, { code: 'ERR_BAD_GZIP', detail: 'incorrect header check' })
    assert.deepEqual(truncated, { code: 'ERR_BAD_GZIP', detail: 'unexpected end of file' })
  })
})

describe('decodeUtf8', () => {
  it('decodes multi-byte UTF-8', () => {
    assert.equal(decodeUtf8(Buffer.from('temp,city=Zürich v=1 ✓ 🌡')), 'temp,city=Zürich v=1 ✓ 🌡')
  })

  it('refuses invalid and cut-off sequences with ERR_BODY_NOT_UTF8', () => {
    const cutEuro = Buffer.from('€').subarray(0, 2)
    for (const bytes of [Buffer.from([0x63, 0xff]), cutEuro, Buffer.from([0xc0, 0x80])]) {
      assert.throws(() => decodeUtf8(bytes), {
        code: 'ERR_BODY_NOT_UTF8',
        detail: 'invalid utf-8 sequence',
      })
    }
  })
})

describe('parseJsonBody', () => {
  const body = Buffer.from('{"db":"métrics"}')

  function withType(type: string | undefined): { headers: IncomingHttpHeaders } {
    return { headers: type === undefined ? {} : { 'content-type': type } }
  }

  it('parses the body under application/json and application/<x>+json, with parameters', () => {
    const types = [
      'application/json',
      'Application/JSON',
      'application/json; charset=utf-8',
      'application/vnd.x+json; charset=utf-8',
      'application/problem+json',
    ]
    for (const type of types) {
      assert.deepEqual(parseJsonBody(withType(type), body), { db: 'métrics' }, type)
    }
  })

  it('refuses any other or absent content type with ERR_UNSUPPORTED_MEDIA_TYPE', () => {
    for (const type of [undefined, '', 'text/plain', 'application/jsonx', 'text/x+json']) {
      assert.throws(
        () => parseJsonBody(withType(type), body),
        { code: 'ERR_UNSUPPORTED_MEDIA_TYPE' },
        String(type),
      )
    }
  })

  it('refuses malformed JSON with ERR_BAD_JSON carrying the parser message', () => {
    for (const text of ['{"db":', '', 'db=metrics']) {
      assert.throws(
        () => parseJsonBody(withType('application/json'), Buffer.from(text)),
        (error: unknown) =>
          error instanceof FluxgateError &&
          error.code === 'ERR_BAD_JSON' &&
          (error.detail ?? '').length > 0,
        text,
      )
    }
  })

  it('refuses a JSON body that is not UTF-8 with ERR_BODY_NOT_UTF8', () => {
    const latin1 = Buffer.from('{"db":"m\xe9trics"}', 'latin1')

    assert.throws(() => parseJsonBody(withType('application/json'), latin1), {
      code: 'ERR_BODY_NOT_UTF8',
    })
  })
})
