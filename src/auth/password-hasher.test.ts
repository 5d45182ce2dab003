import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { hash } from '@node-rs/argon2'

import { PasswordHasher } from './password-hasher.js'

describe('password hashing', () => {
  const hasher = new PasswordHasher()

  it('PS-1 PS-3 stores argon2id m=19456 t=2 p=1 with a unique salt per hash', async () => {
    const first = await hasher.hash('a long passphrase for tests')
    const second = await hasher.hash('a long passphrase for tests')

    assert.match(first, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    assert.notEqual(first, second)
    assert.equal(await hasher.verify(first, 'a long passphrase for tests'), true)
    assert.equal(await hasher.verify(first, 'a long passphrase for test'), false)
  })

  it('PW-2 hashes the NFKC form, so equivalent spellings match', async () => {
    const stored = await hasher.hash('ｆｕｌｌｗｉｄｔｈ passphrase')
    assert.equal(await hasher.verify(stored, 'fullwidth passphrase'), true)
  })

  it('PS-4 asks for a re-hash of weaker parameters only', async () => {
    const weak = await hash('x'.repeat(20), { memoryCost: 8192, timeCost: 1, parallelism: 1 })
    assert.equal(hasher.needsRehash(weak), true)
    assert.equal(hasher.needsRehash(await hasher.hash('x'.repeat(20))), false)
  })

  it('PS-5 refuses a huge password before hashing', async () => {
    await assert.rejects(hasher.hash('x'.repeat(1_000_000)), /at most 1024 bytes/)
  })

  it('PS-6 verifies a dummy hash for unknown users and answers false', async () => {
    assert.equal(await hasher.verify(undefined, 'anything at all here'), false)
  })
})
