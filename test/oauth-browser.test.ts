import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'

import { decodeProtectedHeader, SignJWT } from 'jose'

import { ProviderKeySet } from '../src/auth/oauth/provider-key-set.js'
import { verifyIdToken } from '../src/auth/oauth/id-token-verifier.js'
import { systemClock } from '../src/shared/index.js'
import { parsedLogs } from './support/auth-requests.js'
import {
  ScriptedBrowser,
  oauthServerFlags,
  startTestIdentityProvider,
} from './support/oidc-provider.js'
import type {
  IdTokenAlteration,
  TestIdentityProvider,
  TestProviderOptions,
} from './support/oidc-provider.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'
import { createUser } from './support/user-auth.js'

const memberRole = 3
const adminRole = 1
const sessionCookie = 'fluxgate_session'
const bindingCookie = 'fluxgate_signin'
const signInFailed = '{"error":"sign-in through the identity provider failed, start again"}'

/** A free loopback port: the provider must know the callback address before Fluxgate starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

interface BrowserSetup {
  idp: TestIdentityProvider
  app: TestServer
  origin: string
  callback: string
}

/** A provider that knows Fluxgate's callback, and Fluxgate with browser sign-in on. */
async function startBrowserSetup(
  provider: Omit<TestProviderOptions, 'redirectUris'>,
  flags: Record<string, string | boolean> = {},
): Promise<BrowserSetup> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const callback = `${origin}/auth/callback`
  // Real code flows need an absolute-URI audience (resource indicators, RFC 8707).
  const idp = await startTestIdentityProvider({
    audience: 'https://fluxgate.test/api',
    ...provider,
    redirectUris: [callback],
  })
  const app = await startTestServer({
    httpBind: `127.0.0.1:${port}`,
    ...oauthServerFlags(idp),
    oauthScopes: 'openid,groups',
    webuiPublicUri: origin,
    ...flags,
  })
  return { idp, app, origin, callback }
}

function createOauthUser(app: TestServer, oauthId: string, roleIds: number[]) {
  return createUser(app, { oauthId, roleIds })
}

/** Runs the sign-in up to the provider's redirect back, which is left unfollowed. */
async function untilCallback(setup: BrowserSetup, browser: ScriptedBrowser, returnTo?: string) {
  const query = returnTo === undefined ? '' : `?return_to=${encodeURIComponent(returnTo)}`
  const page = await browser.open(`${setup.origin}/auth/login${query}`, {
    stopAt: setup.callback,
  })
  assert.ok(page.url.startsWith(setup.callback), `stopped at ${page.url}: ${page.body}`)
  return new URL(page.url)
}

/** The reason the server logged for refusing the sign-in that `res` answered. */
function refusalReason(app: TestServer, res: Response): unknown {
  const reqId = res.headers.get('request-id')
  const line = parsedLogs(app.logs).find(
    (entry) => entry.reqId === reqId && entry.msg === 'browser sign-in refused',
  )
  assert.ok(line, `no refused sign-in logged for request ${String(reqId)}`)
  return line.reason
}

async function sessionsOfUser(app: TestServer, userId: number): Promise<number> {
  const res = await app.fetch(`/api/v3/users/${userId}/sessions`)
  assert.equal(res.status, 200, await res.clone().text())
  return ((await res.json()) as { items: unknown[] }).items.length
}

describe('browser sign-in through the identity provider', () => {
  let setup: BrowserSetup
  let aliceId: number

  before(async () => {
    setup = await startBrowserSetup({
      accounts: [{ sub: 'alice' }, { sub: 'mallory' }, { sub: 'bob', groups: ['ops'] }],
    })
    aliceId = await createOauthUser(setup.app, 'alice', [memberRole])
  })
  after(async () => {
    await setup.app.close()
    await setup.idp.close()
  })

  it('sends the browser to the provider with PKCE S256, state, nonce and the exact redirect', async () => {
    const res = await fetch(`${setup.origin}/auth/login`, { redirect: 'manual' })
    assert.equal(res.status, 302)
    const location = new URL(res.headers.get('location') ?? '')
    assert.equal(location.origin, setup.idp.issuer)
    const params = location.searchParams
    assert.equal(params.get('response_type'), 'code')
    assert.equal(params.get('client_id'), setup.idp.clientId)
    assert.equal(params.get('redirect_uri'), setup.callback)
    assert.equal(params.get('code_challenge_method'), 'S256')
    assert.match(params.get('code_challenge') ?? '', /^[\w-]{43}$/)
    assert.match(params.get('state') ?? '', /^[\w-]{43}$/)
    assert.match(params.get('nonce') ?? '', /^[\w-]{43}$/)
    assert.deepEqual(params.get('scope')?.split(' '), ['openid', 'groups'])

    const binding = res.headers.get('set-cookie') ?? ''
    assert.match(binding, /^fluxgate_signin=[\w-]{43}; Path=\/auth\/callback; Max-Age=600;/)
    assert.match(binding, /HttpOnly/)
    assert.match(binding, /SameSite=Lax/)
    assert.doesNotMatch(binding, /Secure/)
  })

  it('ends in a session cookie that signs the browser in, and logout ends it on the server', async () => {
    setup.idp.signInAs('alice')
    const browser = new ScriptedBrowser()
    const back = await untilCallback(setup, browser, '/api/v3/authorize/whoami')
    assert.equal(back.searchParams.get('iss'), setup.idp.issuer)

    const res = await browser.get(back.href)
    assert.equal(res.status, 303, await res.clone().text())
    assert.equal(res.headers.get('location'), '/api/v3/authorize/whoami')
    const cookies = res.headers.getSetCookie()
    const session = cookies.find((line) => line.startsWith(`${sessionCookie}=`)) ?? ''
    assert.match(
      session,
      /^fluxgate_session=fgs_[\w-]{43}; Path=\/; Max-Age=43[12]\d\d; HttpOnly; SameSite=Lax$/,
    )
    assert.ok(cookies.some((line) => line.startsWith(`${bindingCookie}=;`)))

    const whoami = await browser.get(`${setup.origin}/api/v3/authorize/whoami`)
    assert.equal(whoami.status, 200)
    assert.equal(((await whoami.json()) as { userId: number }).userId, aliceId)
    assert.equal(await sessionsOfUser(setup.app, aliceId), 1)

    // A Member may read data with the cookie alone.
    await setup.app.fetch('/api/v3/configure/database', {
      method: 'POST',
      body: JSON.stringify({ db: 'web' }),
      headers: { 'content-type': 'application/json' },
    })
    const read = await browser.get(`${setup.origin}/api/v3/query_sql?db=web&q=SELECT%201`)
    assert.equal(read.status, 200, await read.clone().text())

    const logout = await browser.send(`${setup.origin}/api/v3/authorize/logout`, {
      method: 'POST',
      headers: { origin: setup.origin },
    })
    assert.equal(logout.status, 204)
    assert.match(logout.headers.get('set-cookie') ?? '', /^fluxgate_session=; Path=\/; Max-Age=0/)
    assert.equal(await sessionsOfUser(setup.app, aliceId), 0)
  })

  it('refuses a replayed cookie after logout, even when the browser keeps it', async () => {
    setup.idp.signInAs('alice')
    const browser = new ScriptedBrowser()
    const back = await untilCallback(setup, browser)
    const signedIn = await browser.get(back.href)
    assert.equal(signedIn.status, 303, await signedIn.text())
    const kept = browser.cookie(sessionCookie)
    assert.ok(kept !== undefined)
    const replayWhoami = () =>
      fetch(`${setup.origin}/api/v3/authorize/whoami`, {
        headers: { cookie: `${sessionCookie}=${kept}` },
      })
    const before = await replayWhoami()
    assert.equal(before.status, 200, await before.clone().text())
    assert.equal(((await before.json()) as { userId: number }).userId, aliceId)

    const out = await browser.send(`${setup.origin}/api/v3/authorize/logout`, {
      method: 'POST',
      headers: { origin: setup.origin },
    })
    assert.equal(out.status, 204)
    const replay = await replayWhoami()
    assert.equal(replay.status, 401)
  })

  it('accepts the cookie for changes only from the server’s own origin (CSRF)', async () => {
    setup.idp.signInAs('alice')
    const browser = new ScriptedBrowser()
    await (await browser.get((await untilCallback(setup, browser)).href)).arrayBuffer()
    const write = (headers: Record<string, string>) =>
      browser.send(`${setup.origin}/api/v3/write_lp?db=web`, {
        method: 'POST',
        body: 'm,src=cookie v=1',
        headers,
      })

    const foreign = await write({ origin: 'http://evil.example' })
    assert.equal(foreign.status, 403)
    assert.equal(
      await foreign.text(),
      '{"error":"a session cookie is accepted only from this server\'s own pages"}',
    )
    assert.equal((await write({})).status, 403)
    assert.equal((await write({ 'sec-fetch-site': 'cross-site' })).status, 403)
    assert.equal((await write({ origin: setup.origin })).status, 204)
    assert.equal((await write({ 'sec-fetch-site': 'same-origin' })).status, 204)

    const rows = await setup.app.sql('web', "SELECT count(*) AS n FROM m WHERE src = 'cookie'")
    assert.equal(Number(rows[0]?.n), 2)
  })

  it('refuses a replayed callback: the state is single-use and no second session opens', async () => {
    setup.idp.signInAs('alice')
    const browser = new ScriptedBrowser()
    const back = await untilCallback(setup, browser)
    const binding = browser.cookie(bindingCookie) ?? ''
    assert.equal((await browser.get(back.href)).status, 303)
    const before = await sessionsOfUser(setup.app, aliceId)

    const replay = await fetch(back.href, { headers: { cookie: `${bindingCookie}=${binding}` } })
    assert.equal(replay.status, 401)
    assert.equal(await replay.text(), signInFailed)
    assert.equal(await sessionsOfUser(setup.app, aliceId), before)
  })

  it('refuses a callback whose state was altered or is missing, and opens no session', async () => {
    setup.idp.signInAs('alice')
    const browser = new ScriptedBrowser()
    const back = await untilCallback(setup, browser)
    const before = await sessionsOfUser(setup.app, aliceId)

    const altered = new URL(back)
    altered.searchParams.set('state', `${back.searchParams.get('state') ?? ''}x`)
    assert.equal((await browser.get(altered.href)).status, 401)
    const missing = new URL(back)
    missing.searchParams.delete('state')
    assert.equal((await browser.get(missing.href)).status, 401)
    assert.equal(browser.cookie(sessionCookie), undefined)
    assert.equal(await sessionsOfUser(setup.app, aliceId), before)
  })

  it('refuses a callback from another browser: the PKCE verifier belongs to the one that started', async () => {
    setup.idp.signInAs('alice')
    const victim = new ScriptedBrowser()
    const back = await untilCallback(setup, victim)

    // The attacker has the code and state but not the victim's binding cookie.
    const stolen = await fetch(back.href, { redirect: 'manual' })
    assert.equal(stolen.status, 401)
    assert.equal(stolen.headers.get('set-cookie'), null)
    // The attempt spent the sign-in: the code can no longer be redeemed by anyone.
    assert.equal((await victim.get(back.href)).status, 401)
  })

  it('does not redeem the code of one sign-in with the verifier of another (PK-4)', async () => {
    setup.idp.signInAs('alice')
    const browser = new ScriptedBrowser()
    const first = await untilCallback(setup, browser)
    const second = await untilCallback(setup, browser)

    // The code of the first sign-in under the state (and so the verifier) of the second.
    const mixed = new URL(second)
    mixed.searchParams.set('code', first.searchParams.get('code') ?? '')
    const res = await browser.get(mixed.href)
    assert.equal(res.status, 401)
    assert.equal(browser.cookie(sessionCookie), undefined)
    assert.ok(setup.app.logs.some((line) => line.includes('code_refused:invalid_grant')))
  })

  it('refuses a code already redeemed, brought back under the state of a new sign-in', async () => {
    setup.idp.signInAs('alice')
    const browser = new ScriptedBrowser()
    const first = await untilCallback(setup, browser)
    const redeemed = await browser.get(first.href)
    assert.equal(redeemed.status, 303, await redeemed.text())
    const before = await sessionsOfUser(setup.app, aliceId)
    const second = await untilCallback(setup, browser)

    // The redeemed code of the first sign-in, with the state and binding cookie of the second.
    // The first sign-in's verifier left with its single-use state, so no callback can bring the
    // code back with it: the provider refuses the second sign-in's verifier for it.
    const replayed = new URL(second)
    replayed.searchParams.set('code', first.searchParams.get('code') ?? '')
    const res = await browser.get(replayed.href)
    assert.equal(res.status, 401)
    assert.equal(await res.text(), signInFailed)
    assert.equal(refusalReason(setup.app, res), 'code_refused:invalid_grant')
    assert.ok(!res.headers.getSetCookie().some((line) => line.startsWith(`${sessionCookie}=`)))
    assert.equal(await sessionsOfUser(setup.app, aliceId), before)
  })

  it('refuses an ID token from the token endpoint that is not for this client and sign-in', async () => {
    const now = Math.floor(Date.now() / 1000)
    const refused: Array<[string, IdTokenAlteration, string]> = [
      ['another audience', (claims) => ({ ...claims, aud: 'another-client' }), 'bad_claims'],
      ['another issuer', (claims) => ({ ...claims, iss: 'https://other.example' }), 'bad_claims'],
      ['another nonce', (claims) => ({ ...claims, nonce: 'another-nonce' }), 'nonce_mismatch'],
      ['another azp', (claims) => ({ ...claims, azp: 'another-client' }), 'wrong_azp'],
      ['expired', (claims) => ({ ...claims, iat: now - 900, exp: now - 600 }), 'bad_claims'],
    ]
    const signIn = async () => {
      const browser = new ScriptedBrowser()
      const res = await browser.get((await untilCallback(setup, browser)).href)
      return { browser, res }
    }
    setup.idp.signInAs('alice')
    const before = await sessionsOfUser(setup.app, aliceId)
    try {
      for (const [name, alter, reason] of refused) {
        setup.idp.alterIdTokens(alter)
        const { browser, res } = await signIn()
        assert.equal(res.status, 401, name)
        assert.equal(await res.text(), signInFailed, name)
        assert.equal(refusalReason(setup.app, res), `id_token:${reason}`, name)
        assert.equal(browser.cookie(sessionCookie), undefined, name)
      }
      assert.equal(await sessionsOfUser(setup.app, aliceId), before)

      // The same token signed again unaltered is accepted: only the claims were refused.
      setup.idp.alterIdTokens((claims) => ({ ...claims }))
      const { res } = await signIn()
      assert.equal(res.status, 303, await res.text())
    } finally {
      setup.idp.alterIdTokens(undefined)
    }
  })

  it('refuses a callback that carries another issuer (RFC 9207)', async () => {
    setup.idp.signInAs('alice')
    const browser = new ScriptedBrowser()
    const back = await untilCallback(setup, browser)
    back.searchParams.set('iss', 'https://other-idp.example')
    assert.equal((await browser.get(back.href)).status, 401)
  })

  it('refuses when the person cancels at the provider', async () => {
    const browser = new ScriptedBrowser()
    const start = await browser.get(`${setup.origin}/auth/login`)
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? ''
    const denied = new URL(setup.callback)
    denied.search = new URLSearchParams({ error: 'access_denied', state }).toString()
    assert.equal((await browser.get(denied.href)).status, 401)
  })

  it('refuses a subject that is no Fluxgate user', async () => {
    setup.idp.signInAs('mallory')
    const browser = new ScriptedBrowser()
    const res = await browser.get((await untilCallback(setup, browser)).href)
    assert.equal(res.status, 401)
    assert.ok(setup.app.logs.some((line) => line.includes('"reason":"unknown_subject"')))
  })

  it('keeps return_to on this server (no open redirect)', async () => {
    setup.idp.signInAs('alice')
    for (const target of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const browser = new ScriptedBrowser()
      const res = await browser.get((await untilCallback(setup, browser, target)).href)
      assert.equal(res.status, 303)
      assert.equal(res.headers.get('location'), '/')
    }
  })

  it('leaves no code, cookie, state or verifier in the logs and the audit trail', async () => {
    setup.idp.signInAs('alice')
    const browser = new ScriptedBrowser()
    const back = await untilCallback(setup, browser)
    await (await browser.get(back.href)).arrayBuffer()
    const secrets = [
      back.searchParams.get('code') ?? '',
      back.searchParams.get('state') ?? '',
      browser.cookie(sessionCookie) ?? '',
    ]
    const audit = await setup.app.fetch(
      `/api/v3/query_sql?db=_internal&q=${encodeURIComponent('SELECT * FROM system.audit_log')}&format=jsonl`,
    )
    const trail = await audit.text()
    assert.equal(audit.status, 200)
    assert.match(trail, /browser, identity provider/)
    for (const secret of secrets) {
      assert.ok(secret.length >= 20)
      assert.ok(!setup.app.logs.some((line) => line.includes(secret)), 'a secret reached the log')
      assert.ok(!trail.includes(secret), 'a secret reached the audit trail')
    }
  })
})

describe('browser sign-in options', () => {
  it('maps groups from the ID token to roles, and provisions when asked', async () => {
    const setup = await startBrowserSetup(
      { accounts: [{ sub: 'carol', groups: ['admins'] }] },
      {
        oauthAutoProvision: true,
        oauthRolesClaim: 'groups',
        oauthRoleMap: 'Admin=admins,Member=staff',
      },
    )
    try {
      setup.idp.signInAs('carol')
      const browser = new ScriptedBrowser()
      const res = await browser.get((await untilCallback(setup, browser)).href)
      assert.equal(res.status, 303)
      const user = await setup.app.fetch('/api/v3/users_by_oauth_id/carol')
      assert.deepEqual(((await user.json()) as { roleIds: number[] }).roleIds, [adminRole])
    } finally {
      await setup.app.close()
      await setup.idp.close()
    }
  })

  it('redeems codes as a confidential client with the client secret, and fails with a wrong one', async () => {
    const secret = 'client-secret-marker-7f3a9c0e5b2d'
    const right = await startBrowserSetup(
      { accounts: [{ sub: 'dave' }], clientSecret: secret },
      { oauthClientSecret: secret, webuiCookieSecure: true },
    )
    try {
      await createOauthUser(right.app, 'dave', [memberRole])
      right.idp.signInAs('dave')
      const browser = new ScriptedBrowser()
      const res = await browser.get((await untilCallback(right, browser)).href)
      assert.equal(res.status, 303, await res.clone().text())
      assert.match(res.headers.getSetCookie()[0] ?? '', /; Secure$/)
      assert.ok(!right.app.logs.some((line) => line.includes(secret)))
    } finally {
      await right.app.close()
      await right.idp.close()
    }

    const wrong = await startBrowserSetup(
      { accounts: [{ sub: 'dave' }], clientSecret: secret },
      { oauthClientSecret: 'not-the-secret-at-all' },
    )
    try {
      await createOauthUser(wrong.app, 'dave', [memberRole])
      wrong.idp.signInAs('dave')
      const browser = new ScriptedBrowser()
      const res = await browser.get((await untilCallback(wrong, browser)).href)
      assert.equal(res.status, 401)
      assert.ok(wrong.app.logs.some((line) => line.includes('code_refused:invalid_client')))
    } finally {
      await wrong.app.close()
      await wrong.idp.close()
    }
  })

  it('answers 404 without --webui-public-uri and 503 while the provider is down', async () => {
    const idp = await startTestIdentityProvider({ accounts: [{ sub: 'erin' }] })
    const off = await startTestServer({
      ...oauthServerFlags(idp),
    })
    try {
      assert.equal((await fetch(`${off.url}/auth/login`)).status, 404)
    } finally {
      await off.close()
    }

    await idp.stop()
    const down = await startTestServer(
      {
        ...oauthServerFlags(idp),
        webuiPublicUri: 'http://127.0.0.1:1',
      },
      { oauthRetryMs: 60_000 },
    )
    try {
      const res = await fetch(`${down.url}/auth/login`, { redirect: 'manual' })
      assert.equal(res.status, 503)
    } finally {
      await down.close()
      await idp.close()
    }
  })

  it('refuses a plain-http public address off loopback at start', async () => {
    const idp = await startTestIdentityProvider({ accounts: [] })
    try {
      await assert.rejects(
        startTestServer({
          ...oauthServerFlags(idp),
          webuiPublicUri: 'http://console.example.com',
        }),
        /--webui-public-uri: "http:\/\/console.example.com" must be https/,
      )
    } finally {
      await idp.close()
    }
  })
})

describe('ID token checks', () => {
  let idp: TestIdentityProvider
  let keys: ProviderKeySet
  const now = () => Math.floor(Date.now() / 1000)
  const valid = () => ({
    iss: idp.issuer,
    aud: idp.clientId,
    sub: 'alice',
    nonce: 'the-nonce',
    iat: now(),
    exp: now() + 300,
  })
  const verify = (token: string) =>
    verifyIdToken(token, {
      issuer: idp.issuer,
      clientId: idp.clientId,
      nonce: 'the-nonce',
      keys,
      clock: systemClock,
    })

  before(async () => {
    idp = await startTestIdentityProvider({ accounts: [{ sub: 'alice' }] })
    keys = new ProviderKeySet(`${idp.issuer}/jwks`, { fetch, timeoutMs: 5000 }, systemClock)
    await keys.load()
  })
  after(() => idp.close())

  it('accepts the provider’s token for this client and this sign-in', async () => {
    const outcome = await verify(await idp.sign(valid()))
    assert.equal(outcome.ok, true)
  })

  it('refuses another audience, issuer, nonce, azp, an access token and expired tokens', async () => {
    const cases: Array<[Record<string, unknown>, { typ?: string }, string]> = [
      [{ ...valid(), aud: 'another-client' }, {}, 'bad_claims'],
      [{ ...valid(), iss: 'https://other-idp.example' }, {}, 'bad_claims'],
      [{ ...valid(), nonce: 'another-nonce' }, {}, 'nonce_mismatch'],
      [{ ...valid(), nonce: undefined }, {}, 'nonce_mismatch'],
      [{ ...valid(), azp: 'another-client' }, {}, 'wrong_azp'],
      [valid(), { typ: 'at+jwt' }, 'wrong_type'],
      [{ ...valid(), exp: now() - 61 }, {}, 'bad_claims'],
    ]
    for (const [claims, header, reason] of cases) {
      const outcome = await verify(await idp.sign(claims, header))
      assert.deepEqual(outcome, { ok: false, reason }, JSON.stringify(claims))
    }
  })

  it('refuses alg none and a token signed by a key the provider does not hold', async () => {
    const [header, payload] = (await idp.sign(valid())).split('.')
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`
    assert.equal((await verify(none)).ok, false)
    assert.equal((await verify(`${header}.${payload}.AAAA`)).ok, false)

    // Same kid, another key: the provider's published key does not verify it.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const kid = decodeProtectedHeader(await idp.sign(valid())).kid ?? ''
    const foreign = await new SignJWT(valid())
      .setProtectedHeader({ alg: 'RS256', kid })
      .sign(privateKey)
    assert.deepEqual(await verify(foreign), { ok: false, reason: 'bad_signature' })
  })
})
