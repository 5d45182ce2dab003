import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { errorCodes } from '../errors/index.js'
import type { ErrorCode } from '../errors/index.js'
import type { ErrorRendering } from './error-registry.js'
import { errorRegistry, v2ErrorCode } from './error-registry.js'

const registry: Record<ErrorCode, ErrorRendering> = errorRegistry
const marker = 'detail-marker /var/lib/secret'

function rendered(code: ErrorCode, detail?: string): [number, ErrorRendering['shape'], string] {
  const entry = registry[code]
  return [entry.status, entry.shape, entry.message(detail)]
}

describe('errorRegistry', () => {
  it('holds exactly one entry for every error code', () => {
    assert.deepEqual(Object.keys(errorRegistry).sort(), [...errorCodes].sort())
  })

  it('gives every code an HTTP error status and a non-empty message', () => {
    for (const code of errorCodes) {
      const { status, message } = registry[code]

      assert.ok(Number.isInteger(status) && status >= 400 && status <= 599, code)
      assert.notEqual(message(undefined), '', code)
    }
  })

  it('never puts a detail into the message of a 5xx answer', () => {
    const serverErrors = errorCodes.filter((code) => registry[code].status >= 500)
    assert.ok(serverErrors.includes('ERR_INTERNAL'))

    for (const code of serverErrors) {
      const { message } = registry[code]
      assert.ok(!message(marker).includes('detail-marker'), code)
      assert.equal(message(marker), message(undefined), code)
    }
  })

  it('answers internal errors with a generic 500 text', () => {
    assert.deepEqual(rendered('ERR_INTERNAL', marker), [500, 'text', 'internal error'])
  })

  it('renders the request-shape errors with the reference texts', () => {
    assert.deepEqual(rendered('ERR_NOT_FOUND'), [404, 'text', 'Not found'])
    assert.deepEqual(rendered('ERR_UNSUPPORTED_MEDIA_TYPE'), [
      415,
      'text',
      'unacceptable content-type, expected: application/json',
    ])
    assert.deepEqual(rendered('ERR_BAD_JSON', 'EOF'), [400, 'text', 'serde json error: EOF'])
    assert.deepEqual(rendered('ERR_BAD_QUERY_STRING', 'x'), [400, 'text', 'serde error: x'])
    assert.deepEqual(rendered('ERR_BAD_CONTENT_ENCODING', 'br'), [
      400,
      'text',
      'unacceptable content-encoding: br',
    ])
    assert.deepEqual(rendered('ERR_BAD_GZIP', 'incorrect header check'), [
      400,
      'text',
      'error decoding gzip stream: incorrect header check',
    ])
    assert.deepEqual(rendered('ERR_BODY_TOO_LARGE', 'max request size (10485760 bytes) exceeded'), [
      413,
      'text',
      'max request size (10485760 bytes) exceeded',
    ])
    assert.deepEqual(rendered('ERR_BODY_NOT_UTF8', 'invalid utf-8 sequence'), [
      400,
      'text',
      'body content is not valid utf8: invalid utf-8 sequence',
    ])
  })

  it('renders the write errors with the reference texts', () => {
    assert.deepEqual(rendered('ERR_WRITE_EMPTY'), [400, 'text', 'incoming write was empty'])
    assert.deepEqual(rendered('ERR_WRITE_MISSING_DB'), [
      400,
      'text',
      "missing query parameter 'db'",
    ])
    assert.deepEqual(rendered('ERR_LINE_PROTOCOL', marker), [
      400,
      'json',
      'line protocol parsing error',
    ])
    assert.deepEqual(rendered('ERR_PARTIAL_WRITE'), [
      400,
      'json',
      'partial write of line protocol occurred',
    ])
    assert.deepEqual(
      rendered('ERR_LIMIT_EXCEEDED', 'Adding a new database would exceed limit of 5 databases'),
      [422, 'json', 'Adding a new database would exceed limit of 5 databases'],
    )
  })

  it('renders the catalog errors with the reference texts', () => {
    assert.deepEqual(rendered('ERR_INVALID_NAME', 'db name cannot be empty'), [
      400,
      'json',
      'db name cannot be empty',
    ])
    assert.deepEqual(rendered('ERR_DATABASE_NOT_FOUND', 'zulu'), [
      404,
      'text',
      'the requested resource was not found: zulu',
    ])
    assert.deepEqual(rendered('ERR_ALREADY_EXISTS', marker), [
      409,
      'text',
      'attempted to create a resource that already exists',
    ])
    assert.deepEqual(rendered('ERR_ALREADY_DELETED', 'foo'), [
      409,
      'text',
      'attempted to modify resource that was already deleted: foo',
    ])
    assert.deepEqual(rendered('ERR_INVALID_HARD_DELETE', 'soon'), [
      400,
      'text',
      'Cannot parse the timestamp: soon',
    ])
  })
})

describe('v2ErrorCode', () => {
  it('maps statuses to the v2 write API codes', () => {
    const expected: Array<[number, string]> = [
      [400, 'invalid'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not found'],
      [413, 'request too large'],
      [415, 'invalid'],
      [422, 'invalid'],
      [500, 'internal error'],
      [503, 'internal error'],
    ]
    for (const [status, code] of expected) assert.equal(v2ErrorCode(status), code, String(status))
  })
})
