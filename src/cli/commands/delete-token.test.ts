import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { run } from '../main.js'
import { memoryIo } from '../memory-io.js'
import type { MemoryIoOptions } from '../memory-io.js'

// Every case here ends before a request is sent, so no server is needed.
const host = 'http://127.0.0.1:9'

async function deleteToken(argv: string[], options: MemoryIoOptions = {}) {
  const mem = memoryIo({ ...options, env: { INFLUXDB3_HOST_URL: host } })
  const code = await run(['delete', 'token', ...argv], mem.io)
  return { code, stdout: mem.stdout(), stderr: mem.stderr() }
}

describe('delete token', () => {
  it('refuses the operator token before asking or sending anything', async () => {
    const result = await deleteToken(['--token-name', '_admin'], { stdinIsTTY: true })

    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      'error: The operator token "_admin" is required and cannot be deleted. To regenerate an ' +
        'operator token, use: influxdb3 create token --admin --regenerate --token [TOKEN]\n',
    )
  })

  it('exits 2 without --token-name, or without --yes when stdin is not a terminal', async () => {
    const noName = await deleteToken(['--yes'])
    const noYes = await deleteToken(['--token-name', 'ops'])

    assert.equal(noName.code, 2)
    assert.match(noName.stderr, /required option '--token-name <NAME>' not specified/)
    assert.equal(noYes.code, 2)
    assert.match(noYes.stderr, /refusing to delete "ops" without confirmation: pass --yes/)
  })

  it('asks on a terminal and stops, exit 1, unless the answer is yes', async () => {
    const result = await deleteToken(['--token-name', 'ops'], { stdin: 'n\n', stdinIsTTY: true })

    assert.equal(result.code, 1)
    assert.ok(
      result.stderr.startsWith(`Are you sure you want to delete "ops"? Enter 'yes' to confirm\n`),
    )
    assert.match(result.stderr, /cannot delete the token without confirmation/)
    assert.equal(result.stdout, '')
  })
})
