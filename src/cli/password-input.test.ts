import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { UsageError } from './cli-errors.js'
import { memoryIo } from './memory-io.js'
import { readPassword } from './password-input.js'

const prompt = { message: 'Password:' }

describe('readPassword', () => {
  it('takes the first line of stdin with --password-stdin, without its line ending', async () => {
    const mem = memoryIo({ stdin: 'a long passphrase\r\nsecond line\n' })

    const secret = await readPassword(prompt, { passwordStdin: true }, mem.io)

    assert.equal(secret, 'a long passphrase')
    assert.equal(mem.stdout() + mem.stderr(), '')
  })

  it('refuses an empty password', async () => {
    const mem = memoryIo({ stdin: '' })

    await assert.rejects(readPassword(prompt, { passwordStdin: true }, mem.io), UsageError)
  })

  it('is a usage error without a terminal and without --password-stdin', async () => {
    const mem = memoryIo({ stdin: 'typed\n' })

    await assert.rejects(readPassword(prompt, {}, mem.io), {
      name: 'UsageError',
      message: 'no terminal to ask for the password: pass --password-stdin',
    })
  })
})
