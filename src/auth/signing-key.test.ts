import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'

import { SignJWT, createLocalJWKSet, jwtVerify } from 'jose'

import { loadSigningKey } from './signing-key.js'

const dir = mkdtempSync(join(tmpdir(), 'fluxgate-keys-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function rsaPem(bits: number, type: 'pkcs1' | 'pkcs8', passphrase?: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits })
  const options = passphrase === undefined ? {} : { cipher: 'aes-256-cbc', passphrase }
  return privateKey.export({ type, format: 'pem', ...options }).toString()
}

describe('signing keys', () => {
  it('KF-1 loads PKCS#1 and PKCS#8 keys and signs tokens a stock JOSE library verifies', async () => {
    for (const type of ['pkcs1', 'pkcs8'] as const) {
      const key = await loadSigningKey({
        kind: 'pem',
        pem: rsaPem(2048, type),
        flag: '--jwt-private-key',
      })
      const token = await new SignJWT({ sub: '1' })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .sign(key.privateKey)
      const jwks = createLocalJWKSet({ keys: [key.jwk] })

      const { payload } = await jwtVerify(token, jwks, { algorithms: ['RS256'] })
      assert.equal(payload.sub, '1')
    }
  })

  it('KF-2 KF-4 stops with a message naming the flag for keys that cannot sign', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    const cases: Array<[string, RegExp]> = [
      ['not a key', /--jwt-private-key: not a PEM private key/],
      [rsaPem(1024, 'pkcs8'), /1024 bits; at least 2048/],
      [rsaPem(2048, 'pkcs8', 'secret'), /encrypted/],
      [ec.export({ type: 'pkcs8', format: 'pem' }).toString(), /an RSA key is needed/],
    ]
    for (const [pem, message] of cases) {
      await assert.rejects(loadSigningKey({ kind: 'pem', pem, flag: '--jwt-private-key' }), message)
    }
  })

  it('reads a key file and names the file flag when it is missing', async () => {
    const path = join(dir, 'key.pem')
    writeFileSync(path, rsaPem(2048, 'pkcs1'))
    const key = await loadSigningKey({ kind: 'file', path, flag: '--jwt-private-key-file' }, 'k1')
    assert.equal(key.kid, 'k1')

    await assert.rejects(
      loadSigningKey({ kind: 'file', path: join(dir, 'none.pem'), flag: '--jwt-private-key-file' }),
      /--jwt-private-key-file: cannot read/,
    )
  })

  it('KF-5 creates a 0600 key in the data directory once and keeps its kid across loads', async () => {
    const path = join(dir, 'data', 'jwt-signing-key.pem')
    const first = await loadSigningKey({ kind: 'generated', path })
    const second = await loadSigningKey({ kind: 'generated', path })

    assert.equal(statSync(path).mode & 0o777, 0o600)
    assert.equal(first.kid, second.kid)
    assert.deepEqual(first.jwk, second.jwk)
  })
})
