import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { UsageError } from './cli-errors.js'
import { memoryIo } from './memory-io.js'
import { readPassword, readPasswordChange } from './password-input.js'

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

describe('readPasswordChange', () => {
  it('takes the current password from the first line of stdin and the new one from the second', async () => {
    const mem = memoryIo({ stdin: 'the old passphrase\r\nthe new passphrase' })

    const change = await readPasswordChange({ passwordStdin: true }, mem.io)

    assert.deepEqual(change, { current: 'the old passphrase', next: 'the new passphrase' })
    assert.equal(mem.stdout() + mem.stderr(), '')
  })

  it('refuses stdin that ends before the new password', async () => {
    const mem = memoryIo({ stdin: 'the old passphrase\n' })

    await assert.rejects(readPasswordChange({ passwordStdin: true }, mem.io), {
      name: 'UsageError',
      message: 'the new password is empty',
    })
  })
})
