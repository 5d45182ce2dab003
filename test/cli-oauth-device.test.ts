import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { decodeJwt } from 'jose'

import type { StoredSession } from '../src/cli/credentials-store.js'
import { run } from '../src/cli/main.js'
import { memoryIo } from '../src/cli/memory-io.js'
import type { MemoryIo } from '../src/cli/memory-io.js'
import type { OAuthConfig } from '../src/cli/oauth-config.js'
import { loginWithDeviceCode, refreshOAuthSession } from '../src/cli/oauth-device-login.js'
import type { OAuthTokens } from '../src/cli/oauth-device-login.js'
import { OAuthGrantError } from '../src/cli/oauth-provider-client.js'
import { storedAccessToken } from '../src/cli/stored-session.js'
import { withPerson } from './support/device-person.js'
import { startTestIdentityProvider } from './support/oidc-provider.js'
import type { TestIdentityProvider } from './support/oidc-provider.js'

const fastPolls = { intervalSeconds: 0.05 }
const accounts = [{ sub: 'ada-0001' }, { sub: 'grace-0002' }]
// oidc-provider takes only absolute URIs as resource indicators (RFC 8707 §2), also as the
// default resource, so the device flow needs an audience that is one.
const audience = 'https://fluxgate.test/api'

/** What a Fluxgate server would answer at `GET /api/v3/auth/oauth/config` for `idp`. */
async function oauthConfigFor(idp: TestIdentityProvider): Promise<OAuthConfig> {
  const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`)
  const metadata = (await res.json()) as Record<string, string>
  return {
    issuer: idp.issuer,
    clientId: idp.clientId,
    audience: idp.audience,
    scopes: ['openid', 'offline_access'],
    deviceAuthorizationEndpoint: metadata.device_authorization_endpoint ?? null,
    tokenEndpoint: String(metadata.token_endpoint),
    authorizationEndpoint: metadata.authorization_endpoint ?? null,
  }
}

async function signIn(config: OAuthConfig): Promise<OAuthTokens> {
  const mem = memoryIo()
  const { page, outcome } = await withPerson(
    mem,
    'approve',
    loginWithDeviceCode(config, mem.io, fastPolls),
  )
  assert.match(page.body, /Sign-in Success/)
  if (!outcome.ok) throw outcome.error
  return outcome.value
}

function assertGrantError(error: unknown, code: string, message: RegExp): true {
  assert.ok(error instanceof OAuthGrantError, String(error))
  assert.equal(error.error, code)
  assert.match(error.message, message)
  return true
}

describe('device login (RFC 8628) against a real OpenID provider', () => {
  let idp: TestIdentityProvider
  let config: OAuthConfig

  before(async () => {
    idp = await startTestIdentityProvider({ accounts, audience, revocation: true })
    config = await oauthConfigFor(idp)
  })
  after(() => idp.close())

  it('DC-1 DC-2 returns a JWT for the approving account and the API audience', async () => {
    idp.signInAs('ada-0001')
    const started = Math.floor(Date.now() / 1000)
    const mem = memoryIo()

    const { outcome } = await withPerson(
      mem,
      'approve',
      loginWithDeviceCode(config, mem.io, fastPolls),
    )

    assert.ok(outcome.ok, String(!outcome.ok && outcome.error))
    const tokens = outcome.value
    const claims = decodeJwt(tokens.accessToken)
    assert.equal(claims.sub, 'ada-0001')
    assert.equal(claims.aud, idp.audience)
    assert.equal(claims.iss, idp.issuer)
    assert.equal(tokens.subject, 'ada-0001')
    assert.ok(tokens.idToken !== undefined && tokens.refreshToken !== '')
    assert.ok(tokens.expiresAt >= started + 590 && tokens.expiresAt <= started + 610)
    assert.match(mem.stderr(), /\(or open \S+\?user_code=\S+\)/)
    assert.equal(mem.stdout(), '')
  })

  it('refreshes at the provider: a new access token, and the old refresh token retires', async () => {
    idp.signInAs('grace-0002')
    const first = await signIn(config)

    const second = await refreshOAuthSession(config, first.refreshToken)

    assert.notEqual(second.accessToken, first.accessToken)
    assert.notEqual(second.refreshToken, first.refreshToken)
    assert.equal(decodeJwt(second.accessToken).sub, 'grace-0002')
    assert.equal(decodeJwt(second.accessToken).aud, idp.audience)
    await assert.rejects(refreshOAuthSession(config, first.refreshToken), (error) =>
      assertGrantError(error, 'invalid_grant', /refused the refresh token/),
    )
  })

  it('DC-2 stops with the access_denied message when the person aborts', async () => {
    idp.signInAs('ada-0001')
    const mem = memoryIo()

    const { page, outcome } = await withPerson(
      mem,
      'deny',
      loginWithDeviceCode(config, mem.io, fastPolls),
    )

    assert.match(page.body, /The Sign-in request was interrupted/)
    assert.ok(!outcome.ok)
    assertGrantError(outcome.error, 'access_denied', /^the sign-in was denied at the provider$/)
  })

  it('DC-2 stops with the expiry message when nobody approves in time', async () => {
    const shortLived = await startTestIdentityProvider({
      accounts,
      audience,
      deviceCodeTtlSeconds: 1,
    })
    try {
      const mem = memoryIo()
      const login = loginWithDeviceCode(await oauthConfigFor(shortLived), mem.io, {
        intervalSeconds: 0.25,
      })

      await assert.rejects(login, (error) =>
        assertGrantError(error, 'expired_token', /device code expired.*auth login --oauth again/),
      )
    } finally {
      await shortLived.close()
    }
  })

  it('refuses a server config whose token endpoint the provider does not name', async () => {
    const mem = memoryIo()
    const wrong = { ...config, tokenEndpoint: `${idp.issuer}/elsewhere/token` }

    await assert.rejects(loginWithDeviceCode(wrong, mem.io, fastPolls), /names the token endpoint/)
    assert.equal(mem.stderr(), '')
  })
})

interface PollServer {
  url: string
  polls: number
  close(): Promise<void>
}

/**
 * A tiny authorization server: discovery, a device endpoint that names `interval` when given,
 * and a token endpoint that gives `answers` in turn, the last one for every later poll.
 */
async function startPollServer(
  answers: { status: number; body: object }[],
  interval?: number,
): Promise<PollServer> {
  const state = { url: '', polls: 0 }
  const reply = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
  }
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    if (req.url === '/.well-known/openid-configuration') {
      const endpoints = { token_endpoint: `${state.url}/token` }
      const device = { device_authorization_endpoint: `${state.url}/device/auth` }
      return reply(res, 200, { issuer: state.url, ...endpoints, ...device })
    }
    if (req.url === '/device/auth') {
      return reply(res, 200, {
        device_code: 'device-code-1',
        user_code: 'BCDF-GHJK',
        verification_uri: `${state.url}/device`,
        expires_in: 600,
        ...(interval === undefined ? {} : { interval }),
      })
    }
    const answer = answers[Math.min(state.polls++, answers.length - 1)]
    if (answer === undefined) return reply(res, 500, {})
    return reply(res, answer.status, answer.body)
  }
  const server: Server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    get url() {
      return state.url
    },
    get polls() {
      return state.polls
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

const pending = { status: 400, body: { error: 'authorization_pending' } }
const slowDown = { status: 400, body: { error: 'slow_down' } }
const issued = {
  status: 200,
  body: { access_token: 'at-1', token_type: 'Bearer', expires_in: 300, refresh_token: 'rt-1' },
}

function configAt(url: string): OAuthConfig {
  return {
    issuer: url,
    clientId: 'fluxgate-cli',
    audience: 'fluxgate-api',
    scopes: ['openid', 'offline_access'],
    deviceAuthorizationEndpoint: `${url}/device/auth`,
    tokenEndpoint: `${url}/token`,
    authorizationEndpoint: null,
  }
}

/** Polls against `server`, recording the waits instead of sleeping them. */
async function pollAgainst(server: PollServer) {
  const waits: number[] = []
  const sleep = (milliseconds: number) => {
    waits.push(milliseconds)
    return Promise.resolve()
  }
  const now = () => Date.parse('2026-03-01T10:00:00Z')
  const tokens = await loginWithDeviceCode(configAt(server.url), memoryIo().io, { sleep, now })
  return { tokens, waits }
}

describe('device login polling pace', () => {
  it('DC-2 adds five seconds to the interval for every slow_down, and keeps it', async () => {
    const server = await startPollServer([slowDown, pending, issued], 2)
    try {
      const { tokens, waits } = await pollAgainst(server)

      assert.deepEqual(waits, [2000, 7000, 7000])
      assert.equal(server.polls, 3)
      assert.equal(tokens.accessToken, 'at-1')
      assert.equal(tokens.expiresAt, Date.parse('2026-03-01T10:00:00Z') / 1000 + 300)
    } finally {
      await server.close()
    }
  })

  it('DC-1 waits five seconds between polls when the provider names no interval', async () => {
    const server = await startPollServer([pending, issued])
    try {
      const { waits } = await pollAgainst(server)

      assert.deepEqual(waits, [5000, 5000])
    } finally {
      await server.close()
    }
  })

  it('names the provider when it cannot be reached for a refresh', async () => {
    const server = await startPollServer([issued])
    await server.close()

    await assert.rejects(refreshOAuthSession(configAt(server.url), 'rt-1'), (error: Error) => {
      assert.ok(!(error instanceof OAuthGrantError))
      assert.match(error.message, /^cannot use the provider at http:\/\/127\.0\.0\.1:\d+: \S/)
      return true
    })
  })

  it('keeps the presented refresh token when the provider does not rotate it', async () => {
    const server = await startPollServer([
      { status: 200, body: { access_token: 'at-2', token_type: 'Bearer', expires_in: 60 } },
    ])
    try {
      const tokens = await refreshOAuthSession(configAt(server.url), 'rt-kept')

      assert.equal(tokens.accessToken, 'at-2')
      assert.equal(tokens.refreshToken, 'rt-kept')
    } finally {
      await server.close()
    }
  })
})

/** Stands in for a Fluxgate server: only `GET /api/v3/auth/oauth/config`. */
async function startConfigServer(config: OAuthConfig): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    const found = req.url === '/api/v3/auth/oauth/config'
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' })
    res.end(JSON.stringify(found ? config : { error: 'not found' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, close: () => server.close() }
}

describe('influxdb3 auth login --oauth, refresh and logout', () => {
  let idp: TestIdentityProvider
  let config: OAuthConfig
  let fluxgate: { url: string; close(): void }
  let home = ''

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'fluxgate-oauth-home-'))
    idp = await startTestIdentityProvider({
      accounts,
      audience,
      revocation: true,
      deviceCodeInterval: 0.05,
    })
    config = await oauthConfigFor(idp)
    fluxgate = await startConfigServer(config)
  })
  after(async () => {
    fluxgate.close()
    await idp.close()
    await rm(home, { recursive: true, force: true })
  })

  const cliIo = () => memoryIo({ env: { HOME: home, INFLUXDB3_HOST_URL: fluxgate.url } })

  async function stored(server = fluxgate.url): Promise<StoredSession | undefined> {
    const path = join(home, '.influxdb3', 'credentials.json')
    const file = JSON.parse(await readFile(path, 'utf8')) as {
      servers: Record<string, StoredSession>
    }
    return file.servers[server]
  }

  async function loginThroughCli(): Promise<MemoryIo> {
    const mem = cliIo()
    const { outcome } = await withPerson(mem, 'approve', run(['auth', 'login', '--oauth'], mem.io))
    assert.ok(outcome.ok && outcome.value === 0, mem.stderr())
    return mem
  }

  it('stores an oauth session with what the provider refresh needs', async () => {
    idp.signInAs('ada-0001')

    const mem = await loginThroughCli()

    assert.equal(mem.stdout(), `signed in through ${idp.issuer}\n`)
    const session = await stored()
    assert.ok(session?.authType === 'oauth')
    assert.equal(session.issuer, idp.issuer)
    assert.equal(session.clientId, idp.clientId)
    assert.equal(session.tokenEndpoint, config.tokenEndpoint)
    assert.equal(session.audience, idp.audience)
    assert.equal(session.subject, 'ada-0001')
    assert.equal(decodeJwt(session.accessToken).aud, idp.audience)
  })

  it('exits 1 saying the sign-in was denied, and keeps the stored session', async () => {
    const before = await stored()
    assert.ok(before !== undefined)
    idp.signInAs('grace-0002')
    const mem = cliIo()

    const { page, outcome } = await withPerson(
      mem,
      'deny',
      run(['auth', 'login', '--oauth'], mem.io),
    )

    assert.match(page.body, /The Sign-in request was interrupted/)
    assert.ok(outcome.ok, String(!outcome.ok && outcome.error))
    assert.equal(outcome.value, 1, mem.stderr())
    assert.match(mem.stderr(), /^error: the sign-in was denied at the provider$/m)
    assert.equal(mem.stdout(), '')
    assert.deepEqual(await stored(), before)
  })

  it('exits 1 saying to sign in again when nobody approves before the code expires', async () => {
    const shortLived = await startTestIdentityProvider({
      accounts,
      audience,
      deviceCodeTtlSeconds: 1,
      deviceCodeInterval: 0.25,
    })
    const server = await startConfigServer(await oauthConfigFor(shortLived))
    try {
      const mem = memoryIo({ env: { HOME: home, INFLUXDB3_HOST_URL: server.url } })

      assert.equal(await run(['auth', 'login', '--oauth'], mem.io), 1, mem.stderr())

      assert.match(mem.stderr(), /open \S+ and enter the code \S+/)
      assert.match(
        mem.stderr(),
        /^error: the device code expired before the sign-in was approved: run auth login --oauth again$/m,
      )
      assert.equal(mem.stdout(), '')
      assert.equal(await stored(server.url), undefined)
    } finally {
      server.close()
      await shortLived.close()
    }
  })

  it('refreshes a stored oauth session at the provider, not at the server', async () => {
    const before = await stored()
    assert.ok(before !== undefined)
    const later = () => (before.expiresAt + 60) * 1000

    const token = await storedAccessToken(fluxgate.url, cliIo().io, later)

    const after = await stored()
    assert.equal(after?.accessToken, token)
    assert.notEqual(token, before.accessToken)
    assert.notEqual(after?.refreshToken, before.refreshToken)
    assert.equal(decodeJwt(String(token)).sub, 'ada-0001')
    assert.ok(after?.authType === 'oauth' && after.subject === 'ada-0001')
  })

  it('logout forgets the session and revokes its refresh token at the provider', async () => {
    const session = await stored()
    assert.ok(session?.authType === 'oauth')
    const mem = cliIo()

    assert.equal(await run(['auth', 'logout'], mem.io), 0, mem.stderr())

    assert.equal(mem.stdout(), 'signed out\n')
    assert.equal(await stored(), undefined)
    await assert.rejects(refreshOAuthSession(session, session.refreshToken), (error) =>
      assertGrantError(error, 'invalid_grant', /refused the refresh token/),
    )
  })

  it('forgets a session the provider no longer refreshes, and says to sign in again', async () => {
    idp.signInAs('grace-0002')
    await loginThroughCli()
    const session = await stored()
    assert.ok(session?.authType === 'oauth')
    await refreshOAuthSession(session, session.refreshToken)
    const later = () => (session.expiresAt + 60) * 1000

    // The stored refresh token was just rotated away, so the provider refuses it.
    await assert.rejects(
      storedAccessToken(fluxgate.url, cliIo().io, later),
      /session through .* has ended: sign in again with auth login --oauth/,
    )
    assert.equal(await stored(), undefined)
  })

  it('--oauth with --username is a usage error', async () => {
    const mem = cliIo()

    assert.equal(await run(['auth', 'login', '--oauth', '--username', 'ada'], mem.io), 2)
    assert.match(mem.stderr(), /--oauth signs in at the provider/)
  })
})
