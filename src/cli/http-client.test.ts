import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { UsageError } from './cli-errors.js'
import { HttpClient, ServerError } from './http-client.js'

describe('ServerError.from', () => {
  it('takes the message and rejected lines of an {"error", "data"} body', async () => {
    const body = JSON.stringify({
      error: 'partial write of line protocol occurred',
      data: [{ error_message: 'No fields were provided', line_number: 2, original_line: 'cpu' }],
    })
    const error = await ServerError.from(new Response(body, { status: 400 }))

    assert.equal(error.status, 400)
    assert.equal(error.message, 'partial write of line protocol occurred')
    assert.deepEqual(error.lines, [
      { message: 'No fields were provided', lineNumber: 2, originalLine: 'cpu' },
    ])
  })

  it('takes the message of a {"code", "message"} body', async () => {
    const body = JSON.stringify({ code: 'invalid', message: 'missing bucket value' })
    const error = await ServerError.from(new Response(body, { status: 400 }))

    assert.equal(error.message, 'missing bucket value')
  })

  it('takes a plain-text body as the message', async () => {
    const text = 'the requested resource was not found: metrics\n'
    const error = await ServerError.from(new Response(text, { status: 404 }))

    assert.equal(error.message, 'the requested resource was not found: metrics')
    assert.deepEqual(error.lines, [])
  })

  it('falls back to the status text for an empty body', async () => {
    const response = new Response(null, { status: 503, statusText: 'Service Unavailable' })

    assert.equal((await ServerError.from(response)).message, 'Service Unavailable')
  })
})

describe('HttpClient', () => {
  it('refuses a host that is not an http or https URL as a usage error', () => {
    assert.throws(() => new HttpClient({ host: 'localhost:8181' }), UsageError)
    assert.throws(() => new HttpClient({ host: 'ftp://example.com' }), UsageError)
  })
})
