import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { memoryIo } from './memory-io.js'
import { printIssuedToken, readIssuedToken } from './token-output.js'

const issued = {
  id: 3,
  name: 'ops',
  token: 'apiv3_secret',
  hash: 'ab'.repeat(64),
  created_at: '2026-03-01T10:00:00.000Z',
  expiry: null,
}

describe('printIssuedToken', () => {
  it('prints the reference text block, plain when stdout is not a terminal', () => {
    const mem = memoryIo()

    printIssuedToken(issued, 'text', mem.io)

    assert.equal(
      mem.stdout(),
      [
        '',
        'New token created successfully!',
        '',
        'Token: apiv3_secret',
        'HTTP Requests Header: Authorization: Bearer apiv3_secret',
        '',
        'IMPORTANT: Store this token securely, as it will not be shown again.',
        '',
      ].join('\n'),
    )
    assert.equal(mem.stderr(), '')
  })

  it('styles the text on a colour terminal, and not when NO_COLOR is set', () => {
    const colour = memoryIo({ stdoutIsTTY: true })
    const noColour = memoryIo({ stdoutIsTTY: true, env: { NO_COLOR: '1' } })

    printIssuedToken(issued, 'text', colour.io)
    printIssuedToken(issued, 'text', noColour.io)

    const escape = '\u001b'
    assert.ok(colour.stdout().includes(`${escape}[4mNew token created successfully!${escape}[24m`))
    assert.ok(colour.stdout().includes(`${escape}[31m${escape}[1mIMPORTANT:`))
    assert.ok(!noColour.stdout().includes(escape))
  })

  it('prints the server object as JSON with --format json', () => {
    const mem = memoryIo()

    printIssuedToken(issued, 'json', mem.io)

    assert.deepEqual(JSON.parse(mem.stdout()), issued)
  })
})

describe('readIssuedToken', () => {
  it('refuses a body without a token, without repeating the body', async () => {
    const body = JSON.stringify({ token: 42, note: 'apiv3_leak' })
    const response = new Response(body, { status: 201 })

    await assert.rejects(readIssuedToken(response), (error: Error) => {
      assert.equal(error.message, 'the server answered without a token')
      return true
    })
  })
})
