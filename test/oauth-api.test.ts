import assert from 'node:assert/strict'
import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { decodeJwt, decodeProtectedHeader, exportJWK, SignJWT } from 'jose'
import type { JWK, JWTPayload } from 'jose'

import { frozenClock } from '../src/shared/index.js'
import type { FrozenClock } from '../src/shared/index.js'
import { parsedLogs, unauthenticatedBody } from './support/auth-requests.js'
import { oauthServerFlags, startTestIdentityProvider } from './support/oidc-provider.js'
import type { TestAccount, TestIdentityProvider } from './support/oidc-provider.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'
import { callAs, createUser } from './support/user-auth.js'

const adminRole = 1
const memberRole = 3
const internalSql = `/api/v3/query_sql?${new URLSearchParams({ db: '_internal', q: 'SELECT 1' })}`
const writeA = (by: string) => ({ method: 'POST', body: `m,by=${by} v=1` })
const config = '/api/v3/auth/oauth/config'
const databasesJson = '/api/v3/configure/database?format=json'

// Bodies are read to the end: a cancelled query answer keeps the server's close waiting for
// the keep-alive timeout.
async function status(res: Response): Promise<number> {
  await res.arrayBuffer()
  return res.status
}

/** A server that trusts `idp`, with password sign-in beside it so users can be managed. */
function startOauthServer(
  idp: TestIdentityProvider,
  clock: FrozenClock,
  flags: Record<string, string | boolean> = {},
  deps: { oauthRetryMs?: number } = {},
): Promise<TestServer> {
  return startTestServer(
    {
      ...oauthServerFlags(idp, 'basic,oauth'),
      ...flags,
    },
    { clock, ...deps },
  )
}

/** Creates a user known by the provider's `sub`, with the operator token. */
function createOauthUser(app: TestServer, oauthId: string, roleIds: number[]) {
  return createUser(app, { oauthId, roleIds })
}

async function rolesOf(app: TestServer, oauthId: string): Promise<number[]> {
  const res = await app.fetch(`/api/v3/users_by_oauth_id/${oauthId}`)
  assert.equal(res.status, 200, await res.clone().text())
  return ((await res.json()) as { roleIds: number[] }).roleIds
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function forged(header: object, claims: object, sign: (input: string) => string): string {
  const input = `${base64url(header)}.${base64url(claims)}`
  return `${input}.${sign(input)}`
}

/** The reason the server logged for refusing the credential of the request `res` answered. */
function refusalReason(app: TestServer, res: Response): unknown {
  const reqId = res.headers.get('request-id')
  const line = parsedLogs(app.logs).find(
    (entry) => entry.reqId === reqId && entry.msg === 'authentication refused',
  )
  assert.ok(line, `no refusal logged for request ${String(reqId)}`)
  return line.reason
}

/** An attacker's key set on a loopback port, counting who fetches it. */
async function startAttackerKeySet(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  const fetched: string[] = []
  const server = createServer((req, res) => {
    fetched.push(req.url ?? '')
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ keys: [jwk] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`
  return {
    jwksUrl,
    fetched,
    /** Signs `claims` with the attacker's key, the header naming `header.kid` and the key set. */
    sign: (claims: JWTPayload, header: { kid: string }) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', ...header, jku: jwksUrl })
        .sign(privateKey),
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Waits for `check` to hold, polling; for the background retry of discovery. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('identity-provider tokens on the API', () => {
  // Provider tokens carry real times: the server's clock starts at the real now, frozen.
  const clock = frozenClock(new Date().toISOString())
  let idp: TestIdentityProvider
  let otherIdp: TestIdentityProvider
  let app: TestServer

  before(async () => {
    idp = await startTestIdentityProvider({
      accounts: [{ sub: 'alice' }, { sub: 'bob' }, { sub: 'carol' }, { sub: 'dave' }],
    })
    otherIdp = await startTestIdentityProvider({ accounts: [{ sub: 'alice' }] })
    app = await startOauthServer(idp, clock)
    await createOauthUser(app, 'alice', [adminRole])
    await createOauthUser(app, 'bob', [memberRole])
    assert.equal((await app.write('a', 'm v=1')).status, 204)
  })
  after(async () => {
    await app.close()
    await idp.close()
    await otherIdp.close()
  })

  it('OA-5 a provider token acts for the user with that sub, within their roles', async () => {
    const alice = await idp.mintAccessToken('alice')
    const bob = await idp.mintAccessToken('bob')

    assert.equal(await status(await app.fetchAs(alice, '/api/v3/write_lp?db=a', writeA('a'))), 204)
    assert.equal(await status(await app.fetchAs(alice, internalSql)), 200)
    assert.equal(await status(await app.fetchAs(bob, '/api/v3/write_lp?db=a', writeA('b'))), 204)
    assert.equal(await status(await app.fetchAs(bob, internalSql)), 403)

    assert.equal(await status(await app.fetchAs(bob, '/api/v3/authorize/whoami')), 200)
  })

  it('JWT-4 refuses a valid token whose subject is no user here', async () => {
    const res = await app.fetchAs(await idp.mintAccessToken('carol'), internalSql)

    assert.equal(res.status, 401)
    assert.equal(await res.text(), unauthenticatedBody)
  })

  it('OA-5 JWT-4 refuses a token minted for another audience', async () => {
    const token = await idp.mintAccessToken('alice', { audience: 'another-api' })

    assert.equal(await status(await app.fetchAs(token, internalSql)), 401)
  })

  it('JWT-4 refuses a token of another issuer for the same sub', async () => {
    const token = await otherIdp.mintAccessToken('alice')

    assert.equal(await status(await app.fetchAs(token, internalSql)), 401)
  })

  it('JWT-4 refuses a token signed with the trusted key that names another issuer', async () => {
    const claims = decodeJwt(await idp.mintAccessToken('alice'))
    const header = { typ: 'at+jwt' }
    const foreign = await idp.sign({ ...claims, iss: 'https://other-idp.example' }, header)
    const trusted = await idp.sign(claims, header)

    const res = await app.fetchAs(foreign, internalSql)
    assert.equal(await status(res), 401)
    // Not the provider's issuer, so not a provider token: checked as a session token of this server.
    assert.equal(refusalReason(app, res), 'invalid_session_token')
    assert.equal(await status(await app.fetchAs(trusted, internalSql)), 200)
  })

  it('JWT-1 JWT-2 JWT-3 refuses alg none, HS256 keyed with the public key, and jku', async () => {
    const real = await idp.mintAccessToken('alice')
    const header = decodeProtectedHeader(real)
    const claims = decodeJwt(real)
    const signature = real.split('.')[2] ?? ''
    const jwks = (await (await fetch(`${idp.issuer}/jwks`)).json()) as { keys: JWK[] }
    const publicPem = createPublicKey({ key: jwks.keys[0] as JWK & { kty: 'RSA' }, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString()

    const attacker = await startAttackerKeySet('attacker-key')
    try {
      // [token, the refusal reason logged]
      const attempts: Record<string, [string, string]> = {
        // An empty signature is no JWT, so it is looked up (and not found) as an API token.
        'alg none': [forged({ ...header, alg: 'none' }, claims, () => ''), 'unknown'],
        'alg none with a signature': [
          forged({ ...header, alg: 'none' }, claims, () => 'AAAA'),
          'bad_signature',
        ],
        'HS256 keyed with the public key': [
          forged({ ...header, alg: 'HS256' }, claims, (input) =>
            createHmac('sha256', publicPem).update(input).digest('base64url'),
          ),
          'bad_signature',
        ],
        'a path as kid': [
          forged({ ...header, kid: '../../x' }, claims, () => signature),
          'unknown_kid',
        ],
        "a jku header to the attacker's key set": [
          await attacker.sign(claims, { kid: 'attacker-key' }),
          'unknown_kid',
        ],
        "a jku header to the attacker's key set under the provider's kid": [
          await attacker.sign(claims, { kid: String(header.kid) }),
          'bad_signature',
        ],
        'another subject': [
          forged(header, { ...claims, sub: 'bob' }, () => signature),
          'bad_signature',
        ],
      }
      for (const [name, [token, reason]] of Object.entries(attempts)) {
        const res = await app.fetchAs(token, internalSql)
        assert.equal(await status(res), 401, name)
        assert.equal(refusalReason(app, res), reason, name)
      }
      assert.deepEqual(attacker.fetched, [], 'the server fetched a key set named by jku')
    } finally {
      await attacker.close()
    }
    assert.equal(await status(await app.fetchAs(real, internalSql)), 200)
  })

  it("refuses a deleted user's provider token at once", async () => {
    const userId = await createOauthUser(app, 'dave', [memberRole])
    const token = await idp.mintAccessToken('dave')
    assert.equal(
      await status(await app.fetchAs(token, '/api/v3/configure/database?format=json')),
      200,
    )

    const deleted = await callAs(app, app.operatorToken, 'DELETE', `/api/v3/users/${userId}`)
    assert.equal(await status(deleted), 200)

    assert.equal(
      await status(await app.fetchAs(token, '/api/v3/configure/database?format=json')),
      401,
    )
  })

  it('logout ends the provider token’s session on the server, and only that token’s', async () => {
    const loggedOut = await idp.mintAccessToken('bob')
    const other = await idp.mintAccessToken('bob')
    assert.equal(await status(await app.fetchAs(loggedOut, databasesJson)), 200)

    const logout = await app.fetchAs(loggedOut, '/api/v3/authorize/logout', { method: 'POST' })
    const after = await app.fetchAs(loggedOut, databasesJson)

    assert.equal(await status(logout), 204)
    assert.equal(await status(after), 401)
    assert.equal(refusalReason(app, after), 'session_ended')
    assert.equal(await status(await app.fetchAs(other, databasesJson)), 200)
    const bob = (await (await app.fetch('/api/v3/users_by_oauth_id/bob')).json()) as {
      userId: number
    }
    const audit = await app.sql(
      '_internal',
      "SELECT actor_id FROM system.audit_log WHERE action = 'logout' AND outcome = 'success'",
    )
    assert.deepEqual(audit, [{ actor_id: String(bob.userId) }])
  })

  it('serves the OAuth config from discovery, without the client secret', async () => {
    const res = await fetch(`${app.url}${config}`)

    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {
      issuer: idp.issuer,
      clientId: idp.clientId,
      audience: idp.audience,
      scopes: ['openid', 'offline_access'],
      deviceAuthorizationEndpoint: `${idp.issuer}/device/auth`,
      tokenEndpoint: `${idp.issuer}/token`,
      authorizationEndpoint: `${idp.issuer}/auth`,
    })
  })

  it('JWT-3 after a key rotation, fetches the key set again, at most once per 30 s', async () => {
    idp.rotateKeys()
    const token = await idp.mintAccessToken('alice')
    // The key set was fetched at start, less than 30 s ago on the server's clock.
    assert.equal(await status(await app.fetchAs(token, internalSql)), 401)

    clock.advance({ seconds: 31 })

    assert.equal(await status(await app.fetchAs(token, internalSql)), 200)
  })

  it('LG-1 keeps provider tokens out of the log and the audit trail, accepted or refused', async () => {
    const tokens = [
      await idp.mintAccessToken('alice'),
      await idp.mintAccessToken('carol'),
      await idp.mintAccessToken('bob', { audience: 'another-api' }),
      await otherIdp.mintAccessToken('alice'),
    ]
    for (const token of tokens) {
      await status(await app.fetchAs(token, '/api/v3/write_lp?db=a', writeA('lg')))
      await status(await app.fetchAs(token, '/api/v3/authorize/whoami'))
    }

    const audit = await app.fetch(
      `/api/v3/query_sql?${new URLSearchParams({ db: '_internal', q: 'SELECT * FROM system.audit_log', format: 'jsonl' })}`,
    )
    const trail = await audit.text()
    assert.equal(audit.status, 200)
    for (const token of tokens) {
      const signature = token.split('.')[2] ?? token
      assert.ok(!app.logs.some((line) => line.includes(signature)), 'a token reached the log')
      assert.ok(!trail.includes(signature), 'a token reached the audit trail')
    }
    assert.ok(app.logs.some((line) => line.includes('"reason":"unknown_subject"')))
  })

  it('JWT-5 honours exp with 60 s of tolerance, cached token or not', async () => {
    const token = await idp.mintAccessToken('alice')
    assert.equal(await status(await app.fetchAs(token, internalSql)), 200)
    const exp = decodeJwt(token).exp ?? 0

    clock.advance({ milliseconds: exp * 1000 + 59_000 - clock.now().getTime() })
    assert.equal(await status(await app.fetchAs(token, internalSql)), 200)
    clock.advance({ seconds: 2 })
    assert.equal(await status(await app.fetchAs(token, internalSql)), 401)
  })
})

describe('an identity provider that is down or misconfigured', () => {
  it('starts anyway, answers 503 for provider tokens, and works once discovery succeeds', async () => {
    const idp = await startTestIdentityProvider({ accounts: [{ sub: 'alice' }] })
    await idp.stop()
    const app = await startOauthServer(
      idp,
      frozenClock(new Date().toISOString()),
      {},
      {
        oauthRetryMs: 50,
      },
    )
    try {
      await createOauthUser(app, 'alice', [adminRole])
      const token = await idp.mintAccessToken('alice')

      const early = await app.fetchAs(token, internalSql)
      assert.equal(early.status, 503)
      assert.match(await early.text(), /identity provider/)
      assert.equal(await status(await fetch(`${app.url}${config}`)), 503)
      assert.ok(app.logs.some((line) => line.includes('identity provider unreachable')))

      await idp.start()
      await eventually(async () => (await status(await fetch(`${app.url}${config}`))) === 200)
      assert.equal(await status(await app.fetchAs(token, internalSql)), 200)
    } finally {
      await app.close()
      await idp.close()
    }
  })

  it('MD-5 refuses discovery metadata whose issuer differs from the configured one', async () => {
    const idp = await startTestIdentityProvider({ accounts: [{ sub: 'alice' }] })
    const spelledOtherwise = idp.issuer.replace('127.0.0.1', 'localhost')
    const app = await startOauthServer(idp, frozenClock(new Date().toISOString()), {
      oauthIssuer: spelledOtherwise,
    })
    try {
      assert.equal(await status(await fetch(`${app.url}${config}`)), 503)
      assert.ok(app.logs.some((line) => line.includes('discovery names issuer')))
      // A token naming the configured issuer cannot be checked against an undiscovered provider.
      await createOauthUser(app, 'alice', [adminRole])
      const claims = decodeJwt(await idp.mintAccessToken('alice'))
      const token = await idp.sign({ ...claims, iss: spelledOtherwise }, { typ: 'at+jwt' })
      const res = await app.fetchAs(token, internalSql)
      assert.equal(res.status, 503)
      assert.match(await res.text(), /identity provider/)
    } finally {
      await app.close()
      await idp.close()
    }
  })

  it('refuses to start without issuer, audience or client id, naming the flag', async () => {
    const idp = 'https://idp.example.com'
    const base = { userAuthType: 'oauth', oauthIssuer: idp, oauthAudience: 'api' }
    await assert.rejects(startTestServer(base), /--oauth-client-id is required/)
    await assert.rejects(
      startTestServer({ ...base, oauthClientId: 'cli', oauthAudience: '' }),
      /--oauth-audience is required/,
    )
    await assert.rejects(
      startTestServer({ ...base, oauthClientId: 'cli', oauthIssuer: 'http://idp.example.com' }),
      /must be https/,
    )
    await assert.rejects(
      startTestServer({
        ...base,
        oauthClientId: 'cli',
        oauthRolesClaim: 'groups',
        oauthRoleMap: 'Owner=g',
      }),
      /"Owner" is not a role/,
    )
  })
})

describe('provisioning and role mapping from the groups claim', () => {
  const clock = frozenClock(new Date().toISOString())
  const frank: TestAccount = { sub: 'frank', groups: ['fg-admins'] }
  let idp: TestIdentityProvider
  let app: TestServer

  before(async () => {
    idp = await startTestIdentityProvider({
      accounts: [{ sub: 'erin', groups: ['fg-members', 'other'] }, frank, { sub: 'gus' }],
    })
    app = await startOauthServer(idp, clock, {
      oauthAutoProvision: true,
      oauthRolesClaim: 'groups',
      oauthRoleMap: 'Admin=fg-admins,Member=fg-members',
    })
    // Another admin, so that demoting frank does not meet the last-admin rule.
    await createOauthUser(app, 'root', [adminRole])
    assert.equal((await app.write('a', 'm v=1')).status, 204)
  })
  after(async () => {
    await app.close()
    await idp.close()
  })

  it('creates an unknown subject as a user with the role its groups map to', async () => {
    const token = await idp.mintAccessToken('erin')

    assert.equal(await status(await app.fetchAs(token, '/api/v3/write_lp?db=a', writeA('e'))), 204)
    assert.equal(await status(await app.fetchAs(token, internalSql)), 403)
    assert.deepEqual(await rolesOf(app, 'erin'), [memberRole])
  })

  it('creates a subject without groups with no role', async () => {
    const token = await idp.mintAccessToken('gus')

    assert.equal(await status(await app.fetchAs(token, '/api/v3/authorize/whoami')), 200)
    assert.equal(await status(await app.fetchAs(token, internalSql)), 403)
    assert.deepEqual(await rolesOf(app, 'gus'), [])
  })

  it('demotes a user on the next request once the provider moved them to another group', async () => {
    const before = await idp.mintAccessToken('frank')
    assert.equal(await status(await app.fetchAs(before, internalSql)), 200)
    assert.deepEqual(await rolesOf(app, 'frank'), [adminRole])

    frank.groups = ['fg-members']
    const after = await idp.mintAccessToken('frank')

    assert.equal(await status(await app.fetchAs(after, internalSql)), 403)
    assert.deepEqual(await rolesOf(app, 'frank'), [memberRole])
  })
})

describe('a provider token logged out before a restart', () => {
  it('stays refused once the server runs again on the same data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fluxgate-oauth-restart-'))
    const idp = await startTestIdentityProvider({ accounts: [{ sub: 'erin' }] })
    const flags = { ...oauthServerFlags(idp, 'basic,oauth'), objectStore: 'file', dataDir }
    const clock = frozenClock(new Date().toISOString())
    try {
      const first = await startTestServer(flags, { clock })
      await createOauthUser(first, 'erin', [memberRole])
      const loggedOut = await idp.mintAccessToken('erin')
      const kept = await idp.mintAccessToken('erin')
      assert.equal(await status(await first.fetchAs(kept, databasesJson)), 200)
      const logout = await first.fetchAs(loggedOut, '/api/v3/authorize/logout', { method: 'POST' })
      assert.equal(await status(logout), 204)
      await first.close()

      const second = await startTestServer({ ...flags, fresh: true }, { clock })
      try {
        const refused = await second.fetchAs(loggedOut, databasesJson)
        assert.equal(await status(refused), 401)
        assert.equal(refusalReason(second, refused), 'session_ended')
        assert.equal(await status(await second.fetchAs(kept, databasesJson)), 200)
      } finally {
        await second.close()
      }
    } finally {
      await idp.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
