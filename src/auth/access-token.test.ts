import assert from 'node:assert/strict'
import { createHmac, generateKeyPairSync } from 'node:crypto'
import { before, describe, it } from 'node:test'

import { SignJWT, decodeProtectedHeader, decodeJwt } from 'jose'

import { frozenClock } from '../shared/index.js'
import type { FrozenClock } from '../shared/index.js'
import { AccessTokenVerifier, issueAccessToken } from './access-token.js'
import type { AccessTokenSettings } from './access-token.js'
import { loadSigningKey } from './signing-key.js'

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

describe('access tokens', () => {
  let clock: FrozenClock
  let settings: AccessTokenSettings
  const subject = { userId: 7, sessionId: 'session-1' }

  before(async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString()
    clock = frozenClock('2026-03-01T10:00:00Z')
    settings = {
      key: await loadSigningKey({ kind: 'pem', pem, flag: '--jwt-private-key' }, 'k1'),
      issuer: 'influxdb3-enterprise',
      audience: 'cluster-uuid-1',
      ttlSeconds: 3600,
      clock,
    }
  })

  it('AT-1 AT-2 carries typ at+jwt, kid and every required claim', async () => {
    const { token, claims } = await issueAccessToken(settings, subject)
    const header = decodeProtectedHeader(token)
    const payload = decodeJwt(token)

    assert.deepEqual(header, { alg: 'RS256', typ: 'at+jwt', kid: 'k1' })
    assert.deepEqual(Object.keys(payload).sort(), [
      'aud',
      'client_id',
      'exp',
      'iat',
      'iss',
      'jti',
      'sid',
      'sub',
    ])
    assert.equal(payload.sub, '7')
    assert.equal(payload.exp, (payload.iat ?? 0) + 3600)
    assert.equal(claims.expiresAt.toISOString(), '2026-03-01T11:00:00.000Z')
  })

  it('verifies its own tokens, and from the cache on the second call', async () => {
    const verifier = new AccessTokenVerifier(settings)
    const { token } = await issueAccessToken(settings, subject)

    const first = await verifier.verify(token)
    const second = await verifier.verify(token)
    assert.ok(first.ok && second.ok)
    assert.equal(first.claims.userId, 7)
  })

  it('JWT-5 accepts 59 s past exp, refuses 61 s past, also from the cache', async () => {
    const verifier = new AccessTokenVerifier(settings)
    const { token } = await issueAccessToken(settings, subject)
    assert.ok((await verifier.verify(token)).ok)

    clock.advance({ seconds: 3600 + 59 })
    assert.ok((await verifier.verify(token)).ok)
    clock.advance({ seconds: 2 })
    assert.deepEqual(await verifier.verify(token), { ok: false, reason: 'expired' })
    assert.deepEqual(await new AccessTokenVerifier(settings).verify(token), {
      ok: false,
      reason: 'expired',
    })
  })

  it('JWT-1 JWT-2 JWT-4 JWT-6 refuses forged, foreign and tampered tokens', async () => {
    const verifier = new AccessTokenVerifier({
      ...settings,
      clock: frozenClock('2026-03-01T10:00:00Z'),
    })
    const { token } = await issueAccessToken(
      { ...settings, clock: frozenClock('2026-03-01T10:00:00Z') },
      subject,
    )
    const [header = '', payload = '', signature = ''] = token.split('.')
    const claims = decodeJwt(token)
    const publicPem = settings.key.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const hsHeader = base64url({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
    const hsSignature = createHmac('sha256', publicPem)
      .update(`${hsHeader}.${payload}`)
      .digest('base64url')
    const sign = (extra: Record<string, unknown>, typ = 'at+jwt') =>
      new SignJWT({ ...claims, ...extra })
        .setProtectedHeader({ alg: 'RS256', typ, kid: 'k1' })
        .sign(settings.key.privateKey)

    const forged = [
      `${base64url({ alg: 'none', typ: 'at+jwt' })}.${payload}.`,
      `${hsHeader}.${payload}.${hsSignature}`,
      `${header}.${payload}.${signature.slice(0, -4)}`,
      `${header}.${base64url({ ...claims, sub: '1' })}.${signature}`,
      await sign({ iss: 'someone-else' }),
      await sign({ aud: 'another-cluster' }),
      await sign({}, 'JWT'),
      await sign({ nbf: (claims.iat ?? 0) + 120 }),
    ]
    for (const candidate of forged) {
      const outcome = await verifier.verify(candidate)
      assert.equal(outcome.ok, false, candidate)
    }
  })
})
