import assert from 'node:assert/strict'
import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import type { JWK } from 'jose'

import { isFluxgateError } from '../src/errors/index.js'
import { frozenClock } from '../src/shared/index.js'
import { startServer } from '../src/server/index.js'
import { unauthenticatedBody } from './support/auth-requests.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'
import {
  bootstrapAdmin,
  callAs,
  goodPassword,
  login,
  refresh,
  signIn,
} from './support/user-auth.js'

const whoami = '/api/v3/authorize/whoami'

async function status(res: Response): Promise<number> {
  await res.body?.cancel()
  return res.status
}

function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString(
    'base64url',
  )
}

/** A token with the given header and claims, signed by `sign` over `header.payload`. */
function forged(header: object, claims: object, sign: (input: string) => string): string {
  const input = `${base64url(header)}.${base64url(claims)}`
  return `${input}.${sign(input)}`
}

describe('password sign-in and sessions', () => {
  const clock = frozenClock('2026-06-01T08:00:00Z')
  let app: TestServer
  let operatorToken: string

  before(async () => {
    app = await startTestServer({ fresh: true, userAuthType: 'basic' }, { clock })
    operatorToken = (await bootstrapAdmin(app, 'ada')).operatorToken
  })
  after(() => app.close())

  it('BS-2 bootstraps the first admin and the operator token once, then answers 409', async () => {
    const databases = await app.fetchAs(operatorToken, '/api/v3/configure/database?format=json')
    assert.equal(databases.status, 200)

    const again = await fetch(`${app.url}/api/v3/configure/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'mallory', password: goodPassword }),
    })
    assert.equal(again.status, 409)
    assert.deepEqual(await again.json(), { error: 'operator token already configured' })
    assert.equal(await status(await login(app, 'mallory', goodPassword)), 401)
  })

  it('AT-1 AT-2 JWT-4 issues an RS256 at+jwt with every claim, for this cluster', async () => {
    const issued = await signIn(app, 'ada')
    const header = decodeProtectedHeader(issued.token)
    const claims = decodeJwt(issued.token)
    const clusterId = (await app.fetch('/ping')).headers.get('cluster-uuid')

    assert.equal(header.alg, 'RS256')
    assert.equal(header.typ, 'at+jwt')
    assert.equal(typeof header.kid, 'string')
    assert.equal(claims.iss, 'influxdb3-enterprise')
    assert.equal(claims.aud, clusterId)
    assert.equal(claims.sub, String(issued.userId))
    assert.equal(claims.client_id, 'influxdb3-cli')
    assert.equal(claims.iat, clock.now().getTime() / 1000)
    assert.equal(claims.exp, (claims.iat ?? 0) + 3600)
    assert.equal(issued.expiresAt, claims.exp)
    assert.equal(typeof claims.jti, 'string')
    assert.equal(typeof claims.sid, 'string')
    assert.ok(issued.refreshToken.startsWith('fgrt_'))
  })

  it('AT-6 a stock JOSE library verifies an issued token against the published JWKS', async () => {
    const issued = await signIn(app, 'ada')
    const jwks = (await (await fetch(`${app.url}/.well-known/jwks.json`)).json()) as {
      keys: JWK[]
    }

    const verified = await jwtVerify(issued.token, createLocalJWKSet({ keys: jwks.keys }), {
      issuer: 'influxdb3-enterprise',
      currentDate: clock.now(),
    })
    assert.equal(verified.payload.sub, String(issued.userId))
    assert.equal(jwks.keys[0]?.d, undefined, 'no private part is published')
  })

  it('a session token reaches what the Admin role allows, and names its user', async () => {
    const { token, userId } = await signIn(app, 'ada')

    const me = await callAs(app, token, 'GET', whoami)
    assert.equal(me.status, 200)
    assert.deepEqual(
      { ...((await me.json()) as Record<string, unknown>), sessionId: undefined },
      {
        userId,
        username: 'ada',
        requiresPasswordReset: false,
        roleIds: [1],
        createdAt: clock.now().getTime() / 1000,
        updatedAt: clock.now().getTime() / 1000,
        sessionId: undefined,
      },
    )
    const write = await app.fetchAs(token, '/api/v3/write_lp?db=viaJwt', {
      method: 'POST',
      body: 'm v=1 1',
    })
    assert.equal(write.status, 204)
  })

  it('PW-5 an unknown user and a wrong password get the same answer', async () => {
    const unknown = await login(app, 'nobody-here', goodPassword)
    const wrong = await login(app, 'ada', 'not the right passphrase')

    assert.equal(unknown.status, 401)
    assert.equal(wrong.status, 401)
    assert.deepEqual(await unknown.text(), await wrong.text())
  })

  it('SE-2 SE-3 logout ends the session on the server: its access and refresh tokens stop working', async () => {
    const issued = await signIn(app, 'ada')
    assert.equal(await status(await callAs(app, issued.token, 'GET', whoami)), 200)

    assert.equal(
      await status(await callAs(app, issued.token, 'POST', '/api/v3/authorize/logout')),
      204,
    )

    const after = await callAs(app, issued.token, 'GET', whoami)
    assert.equal(after.status, 401)
    assert.equal(await after.text(), unauthenticatedBody)
    assert.equal(await status(await refresh(app, issued.refreshToken)), 401)
  })

  it('RT-1 RT-2 refresh rotates the refresh token; reusing a rotated one ends the whole session', async () => {
    const first = await signIn(app, 'ada')
    const second = (await (await refresh(app, first.refreshToken)).json()) as typeof first
    assert.notEqual(second.refreshToken, first.refreshToken)
    assert.equal(decodeJwt(second.token).sid, decodeJwt(first.token).sid)
    assert.equal(await status(await callAs(app, second.token, 'GET', whoami)), 200)

    assert.equal(await status(await refresh(app, first.refreshToken)), 401)

    assert.equal(await status(await callAs(app, second.token, 'GET', whoami)), 401)
    assert.equal(await status(await refresh(app, second.refreshToken)), 401)
    assert.equal(await status(await refresh(app, 'fgrt_made-up')), 401)
  })

  it('JWT-5 refuses an access token 61 s after expiry and accepts it 59 s after', async () => {
    const issued = await signIn(app, 'ada')

    clock.advance({ seconds: 3600 + 59 })
    assert.equal(await status(await callAs(app, issued.token, 'GET', whoami)), 200)
    clock.advance({ seconds: 2 })
    assert.equal(await status(await callAs(app, issued.token, 'GET', whoami)), 401)
  })

  it('JWT-1 JWT-2 JWT-3 JWT-4 refuses forged and altered tokens', async () => {
    const issued = await signIn(app, 'ada')
    const header = decodeProtectedHeader(issued.token)
    const claims = decodeJwt(issued.token)
    const [head = '', , signature = ''] = issued.token.split('.')
    const jwks = (await (await fetch(`${app.url}/.well-known/jwks.json`)).json()) as {
      keys: JWK[]
    }
    const publicPem = createPublicKey({ key: jwks.keys[0] as JWK & { kty: 'RSA' }, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString()
    const hmacWithPublicKey = (input: string) =>
      createHmac('sha256', publicPem).update(input).digest('base64url')
    const stolenSignature = () => signature

    const attempts: Record<string, string> = {
      'alg none': forged({ ...header, alg: 'none' }, claims, () => ''),
      'HS256 keyed with the public key': forged(
        { ...header, alg: 'HS256' },
        claims,
        hmacWithPublicKey,
      ),
      'a path as kid': forged({ ...header, kid: '../../x' }, claims, stolenSignature),
      'a jku header': forged(
        { ...header, jku: 'http://127.0.0.1:1/jwks' },
        claims,
        stolenSignature,
      ),
      'another issuer': forged(header, { ...claims, iss: 'someone-else' }, stolenSignature),
      'another audience': forged(header, { ...claims, aud: 'another-cluster' }, stolenSignature),
      'another subject': forged(header, { ...claims, sub: '2' }, stolenSignature),
      'a truncated signature': `${issued.token.slice(0, -10)}`,
      'no signature': `${head}.${base64url(claims)}.`,
    }
    for (const [name, token] of Object.entries(attempts)) {
      const res = await callAs(app, token, 'GET', whoami)
      assert.equal(res.status, 401, name)
      assert.equal(res.headers.get('www-authenticate'), 'Bearer error="invalid_token"', name)
    }
    assert.equal(await status(await callAs(app, issued.token, 'GET', whoami)), 200)
  })

  it('PW-5 throttles failed sign-ins per username with 429 and Retry-After, then lets them in again', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      assert.equal(await status(await login(app, 'ada', `wrong passphrase ${attempt}`)), 401)
    }

    const throttled = await login(app, 'ada', goodPassword)
    assert.equal(throttled.status, 429)
    assert.equal(throttled.headers.get('retry-after'), '1')
    await throttled.body?.cancel()

    clock.advance({ seconds: 1 })
    assert.equal(await status(await login(app, 'ada', goodPassword)), 200)
    assert.equal(await status(await login(app, 'ada', 'wrong again, once')), 401)
  })

  it('PW-1 PW-4 SE-6 reset-password checks the current password and the policy, ends every session', async () => {
    const issued = await signIn(app, 'ada')
    const reset = (currentPassword: string, newPassword: string) =>
      callAs(app, undefined, 'POST', '/api/v3/authorize/reset-password', {
        username: 'ada',
        currentPassword,
        newPassword,
      })

    assert.equal(
      await status(await reset('not the right one at all', 'another fine passphrase')),
      401,
    )
    const weak = await reset(goodPassword, 'short')
    assert.equal(weak.status, 400)
    assert.match(await weak.text(), /at least 15 characters/)
    const common = await reset(goodPassword, 'password1234567890'.slice(0, 15))
    assert.equal(common.status, 400)
    await common.body?.cancel()
    assert.equal(await status(await callAs(app, issued.token, 'GET', whoami)), 200)

    assert.equal(await status(await reset(goodPassword, 'another fine passphrase')), 204)
    assert.equal(await status(await callAs(app, issued.token, 'GET', whoami)), 401)
    assert.equal(await status(await login(app, 'ada', goodPassword)), 401)
    assert.equal(await status(await login(app, 'ada', 'another fine passphrase')), 200)
    assert.equal(await status(await reset('another fine passphrase', goodPassword)), 204)
  })

  it('RT-4 RT-6 a session ends after 7 days however often it is refreshed', async () => {
    let pair = await signIn(app, 'ada')
    for (let day = 0; day < 6; day++) {
      clock.advance({ seconds: 24 * 3600 })
      const res = await refresh(app, pair.refreshToken)
      assert.equal(res.status, 200, `day ${day + 1}`)
      pair = (await res.json()) as typeof pair
    }

    clock.advance({ seconds: 24 * 3600 })
    assert.equal(await status(await refresh(app, pair.refreshToken)), 401)
    assert.equal(await status(await callAs(app, pair.token, 'GET', whoami)), 401)
  })

  it('LG-3 the audit trail records sign-ins, refreshes, reuse, logouts, password changes and denials', async () => {
    const { token } = await signIn(app, 'ada')
    const named = await callAs(app, token, 'POST', '/api/v3/configure/token/named_admin', {
      token_name: 'audited',
    })
    assert.equal(named.status, 201)
    const namedSecret = ((await named.json()) as { token: string }).token
    const deletion = '/api/v3/configure/token?token_name=audited'
    assert.equal(await status(await callAs(app, token, 'DELETE', deletion)), 200)
    const denied = await app.fetchAs(operatorToken, '/api/v3/authorize/logout', { method: 'POST' })
    assert.equal(denied.status, 403)
    await denied.body?.cancel()
    const query = new URLSearchParams({
      db: '_internal',
      q: 'SELECT action, outcome, actor_kind, actor_name, target, detail FROM system.audit_log ORDER BY id',
      format: 'jsonl',
    })

    const res = await app.fetchAs(token, `/api/v3/query_sql?${query}`)
    assert.equal(res.status, 200)
    const text = await res.text()
    const events = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>)
      .map((e) => `${e.action}:${e.outcome}`)
    for (const event of [
      'bootstrap:success',
      'login:success',
      'login:failure',
      'login:denied',
      'refresh:success',
      'refresh_token_reuse:denied',
      'logout:success',
      'password_change:failure',
      'password_change:success',
      'request_denied:denied',
      'token_create:success',
      'token_delete:success',
    ]) {
      assert.ok(events.includes(event), event)
    }
    const secrets = [goodPassword, 'another fine passphrase', 'fgrt_', 'eyJ', operatorToken]
    for (const secret of [...secrets, namedSecret]) {
      assert.ok(!text.includes(secret), 'the trail holds no secret')
    }
  })

  it('PW-5 throttles failed sign-ins per client address across usernames', async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      assert.equal(
        await status(await login(app, `guess-${attempt}`, 'some guessed passphrase')),
        401,
      )
    }

    const throttled = await login(app, 'ada', goodPassword)
    assert.equal(throttled.status, 429)
    assert.ok(Number(throttled.headers.get('retry-after')) >= 1)
    await throttled.body?.cancel()

    clock.advance({ seconds: 901 })
    assert.equal(await status(await login(app, 'ada', goodPassword)), 200)
  })

  it('LG-1 no password, token or refresh token appears in the logs', () => {
    const logs = app.logs.join('')
    assert.ok(!logs.includes(goodPassword))
    assert.ok(!logs.includes('another fine passphrase'))
    assert.ok(!logs.includes('fgrt_'))
    assert.ok(!logs.includes('eyJ'))
    assert.ok(!logs.includes(operatorToken))
  })
})

describe('signing keys at start', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fluxgate-keys-'))
  })
  after(() => rm(dir, { recursive: true, force: true }))

  const start = (input: Record<string, string>) =>
    startServer({
      httpBind: '127.0.0.1:0',
      objectStore: 'memory',
      logFilter: 'silent',
      userAuthType: 'basic',
      ...input,
    })

  it('KF-1 signs with a PKCS#8 key and with a PKCS#1 key, under the given key id', async () => {
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
      const pem = privateKey.export({ type, format: 'pem' }).toString()
      const server = await start({ jwtPrivateKey: pem, jwtKeyId: `key-${type}` })
      try {
        const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
          keys: JWK[]
        }
        assert.equal(jwks.keys[0]?.kid, `key-${type}`)
      } finally {
        await server.close()
      }
    }
  })

  it('KF-3 KF-4 JWT-7 refuses a broken, a non-RSA and a 1024-bit key at start, naming the flag', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey
    const file = join(dir, 'small.pem')
    await writeFile(file, small.export({ type: 'pkcs1', format: 'pem' }))
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ jwtPrivateKey: 'not a key' }, /--jwt-private-key: not a PEM private key/],
      [
        { jwtPrivateKey: ec.export({ type: 'pkcs8', format: 'pem' }).toString() },
        /--jwt-private-key: an RSA key is needed/,
      ],
      [{ jwtPrivateKeyFile: file }, /--jwt-private-key-file: the RSA key has 1024 bits/],
      [{ jwtPrivateKeyFile: join(dir, 'missing.pem') }, /--jwt-private-key-file: cannot read/],
    ]
    for (const [input, message] of cases) {
      await assert.rejects(start(input), (error: unknown) => {
        assert.ok(isFluxgateError(error, 'ERR_CONFIG'))
        assert.match(error.detail ?? '', message)
        return true
      })
    }
  })

  it('refuses none combined with another user-auth type', async () => {
    await assert.rejects(start({ userAuthType: 'none,basic' }), /none cannot be combined/)
  })
})
