import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { decodeJwt, importJWK, SignJWT } from 'jose'
import Provider from 'oidc-provider'
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider'

/** The server flags that trust `idp`, with `userAuthType` sign-in. */
export function oauthServerFlags(
  idp: Pick<TestIdentityProvider, 'issuer' | 'audience' | 'clientId'>,
  userAuthType: 'oauth' | 'basic,oauth' = 'oauth',
) {
  return {
    userAuthType,
    oauthIssuer: idp.issuer,
    oauthAudience: idp.audience,
    oauthClientId: idp.clientId,
  }
}

/** The accounts the test provider knows: subject and the groups claim it releases. */
export interface TestAccount {
  sub: string
  groups?: string[]
}

/** A real OpenID Connect provider on a loopback port, for end-to-end tests. */
export interface TestIdentityProvider {
  issuer: string
  clientId: string
  audience: string
  provider: Provider
  /** The account the next interaction signs in (browser and device flows). */
  signInAs(sub: string): void
  /**
   * A JWT access token for `sub`, signed by the provider's current key exactly as its token
   * endpoint would issue one after a sign-in, without the sign-in.
   */
  mintAccessToken(sub: string, options?: { audience?: string }): Promise<string>
  /**
   * Signs any claims with the provider's current key, as it would sign a token of its own: for
   * ID tokens and access tokens a real provider would never issue (wrong audience, nonce, type).
   */
  sign(claims: Record<string, unknown>, header?: { typ?: string }): Promise<string>
  /**
   * From now on, the ID tokens the token endpoint issues carry the claims `alter` makes of
   * theirs, signed with the provider's current key: for an ID token a real provider would never
   * hand a sign-in (another audience, nonce or issuer). `undefined` issues them unaltered again.
   */
  alterIdTokens(alter: IdTokenAlteration | undefined): void
  /** Replaces the signing key; tokens signed before are then signed by an unknown key. */
  rotateKeys(): void
  /** Stops answering (connections refused) until `start` is called again. */
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

/** Makes the claims of an ID token the provider is about to issue into others. */
export type IdTokenAlteration = (claims: Record<string, unknown>) => Record<string, unknown>

export interface TestProviderOptions {
  accounts: TestAccount[]
  /** The API audience of JWT access tokens. */
  audience?: string
  clientId?: string
  redirectUris?: string[]
  port?: number
  /** Lifetime of device codes in seconds; 120 by default. */
  deviceCodeTtlSeconds?: number
  /**
   * Seconds a device client should wait between polls, sent as `interval` in device
   * authorization answers; oidc-provider sends none, and clients then wait 5 seconds.
   */
  deviceCodeInterval?: number
  /** Offer a revocation endpoint (RFC 7009). */
  revocation?: boolean
  /** Makes the client confidential: it authenticates with this secret (client_secret_basic). */
  clientSecret?: string
}

function rsaJwk(kid: string) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }
}

/**
 * Starts `oidc-provider` with a public client for the device flow and the code flow (PKCE
 * required), JWT access tokens for `audience`, refresh tokens, and an interaction handler that
 * signs in the chosen account without a browser form.
 */
export async function startTestIdentityProvider(
  options: TestProviderOptions,
): Promise<TestIdentityProvider> {
  const clientId = options.clientId ?? 'fluxgate-cli'
  const audience = options.audience ?? 'fluxgate-api'
  const accounts = new Map(options.accounts.map((account) => [account.sub, account]))
  let current = options.accounts[0]?.sub ?? 'nobody'
  let keyNumber = 1
  let signingJwk = rsaJwk(`key-${keyNumber}`)
  let idTokenAlteration: IdTokenAlteration | undefined

  const listener: { server: Server | undefined; port: number } = {
    server: undefined,
    port: options.port ?? 0,
  }
  // Replaced when the provider is rebuilt (key rotation); the listener keeps its port.
  const handler: { current: (req: IncomingMessage, res: ServerResponse) => void } = {
    current: () => undefined,
  }
  await listen(listener, (req, res) => handler.current(req, res))
  const issuer = `http://127.0.0.1:${listener.port}`

  const build = () => {
    const built = new Provider(issuer, configuration())
    const interval = options.deviceCodeInterval
    if (interval !== undefined) built.use(addDeviceInterval(interval))
    built.use(
      alterIssuedIdToken(
        () => idTokenAlteration,
        (claims) => signWith(signingJwk, claims),
      ),
    )
    return built
  }
  const configuration = (): Configuration => ({
    clients: [
      {
        client_id: clientId,
        ...(options.clientSecret === undefined
          ? { token_endpoint_auth_method: 'none' }
          : {
              token_endpoint_auth_method: 'client_secret_basic',
              client_secret: options.clientSecret,
            }),
        grant_types: [
          'authorization_code',
          'refresh_token',
          'urn:ietf:params:oauth:grant-type:device_code',
        ],
        response_types: ['code'],
        redirect_uris: options.redirectUris ?? ['http://127.0.0.1/callback'],
      },
    ],
    jwks: { keys: [signingJwk] },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    claims: { openid: ['sub'], groups: ['groups'] },
    scopes: ['openid', 'offline_access', 'groups'],
    pkce: { required: () => true },
    // Scope claims (such as groups) go into ID tokens too, for browser sign-in's role mapping.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      deviceFlow: { enabled: true },
      revocation: { enabled: options.revocation ?? false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'openid offline_access groups',
          audience,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    ttl: {
      AccessToken: 600,
      DeviceCode: options.deviceCodeTtlSeconds ?? 120,
      IdToken: 600,
      RefreshToken: 3600,
      Grant: 3600,
    },
    issueRefreshToken: () => true,
    // Access tokens carry the account's groups, for role mapping.
    extraTokenClaims: (_ctx, token) => {
      const groups = 'accountId' in token ? accounts.get(token.accountId)?.groups : undefined
      return groups === undefined ? undefined : { groups }
    },
    findAccount: (_ctx: KoaContextWithOIDC, sub: string) => {
      const account = accounts.get(sub)
      if (account === undefined) return undefined
      return {
        accountId: sub,
        claims: () => ({
          sub,
          ...(account.groups === undefined ? {} : { groups: account.groups }),
        }),
      }
    },
  })

  let provider = build()
  const mount = () => {
    const callback = provider.callback()
    handler.current = (req, res) => {
      if (req.url?.startsWith('/interaction/') === true)
        void finishInteraction(provider, req, res, current)
      else callback(req, res)
    }
  }
  mount()

  return {
    issuer,
    clientId,
    audience,
    get provider() {
      return provider
    },
    signInAs(sub) {
      current = sub
    },
    mintAccessToken: (sub, mint = {}) =>
      mintAccessToken(provider, { sub, clientId, audience: mint.audience ?? audience }),
    sign: (claims, header = {}) => signWith(signingJwk, claims, header),
    alterIdTokens(alter) {
      idTokenAlteration = alter
    },
    rotateKeys() {
      keyNumber++
      signingJwk = rsaJwk(`key-${keyNumber}`)
      provider = build()
      mount()
    },
    async stop() {
      await close(listener)
    },
    async start() {
      await listen(listener, (req, res) => handler.current(req, res))
    },
    close: () => close(listener),
  }
}

async function signWith(
  jwk: ReturnType<typeof rsaJwk>,
  claims: Record<string, unknown>,
  header: { typ?: string } = {},
): Promise<string> {
  const key = await importJWK(jwk, 'RS256')
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid, ...header }).sign(key)
}

async function mintAccessToken(
  provider: Provider,
  { sub, clientId, audience }: { sub: string; clientId: string; audience: string },
): Promise<string> {
  const client = await provider.Client.find(clientId)
  if (client === undefined) throw new Error(`no client ${clientId}`)
  const grant = new provider.Grant({ accountId: sub, clientId })
  grant.addOIDCScope('openid groups')
  grant.addResourceScope(audience, 'openid groups')
  const grantId = await grant.save()
  const resourceServer = new provider.ResourceServer(audience, {
    audience,
    scope: 'openid groups',
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  })
  const token = new provider.AccessToken({
    accountId: sub,
    client,
    grantId,
    scope: 'openid groups',
    aud: audience,
    gty: 'authorization_code',
    resourceServer,
  })
  return String(await token.save())
}

// Signs the chosen account in and grants what the client asked for, as a user clicking
// through the provider's pages would.
async function finishInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  sub: string,
): Promise<void> {
  try {
    const details = await provider.interactionDetails(req, res)
    const { prompt, params } = details
    if (prompt.name === 'login') {
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: sub } },
        { mergeWithLastSubmission: false },
      )
      return
    }

    const grant =
      details.grantId === undefined
        ? new provider.Grant({ accountId: sub, clientId: String(params.client_id) })
        : await provider.Grant.find(details.grantId)
    if (grant === undefined) throw new Error('no grant')
    const scope = typeof params.scope === 'string' ? params.scope : 'openid'
    grant.addOIDCScope(scope)
    if (typeof params.resource === 'string') grant.addResourceScope(params.resource, scope)
    const grantId = await grant.save()
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    )
  } catch (error) {
    res.statusCode = 500
    res.end(String(error))
  }
}

function addDeviceInterval(interval: number) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => {
    await next()
    const body: unknown = ctx.body
    if (ctx.method !== 'POST' || ctx.status !== 200 || typeof body !== 'object') return
    if (body !== null && 'device_code' in body) ctx.body = { ...body, interval }
  }
}

// Re-signs the ID token of a token endpoint answer with the claims `current()` makes of it.
function alterIssuedIdToken(
  current: () => IdTokenAlteration | undefined,
  sign: (claims: Record<string, unknown>) => Promise<string>,
) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => {
    await next()
    const alter = current()
    const body: unknown = ctx.body
    if (alter === undefined || ctx.method !== 'POST' || ctx.status !== 200) return
    if (typeof body !== 'object' || body === null || !('id_token' in body)) return
    if (typeof body.id_token !== 'string') return
    ctx.body = { ...body, id_token: await sign(alter({ ...decodeJwt(body.id_token) })) }
  }
}

/** What a person decides on the provider's device confirmation page. */
export type DeviceDecision = 'approve' | 'deny'

/** The last page the provider showed the scripted person. */
export interface DevicePage {
  status: number
  body: string
}

/**
 * Acts as a person at a browser for the device flow of oidc-provider: opens
 * `verificationUri`, types `userCode` into its form, then approves or denies on the confirmation
 * page. Sign-in and consent happen at `/interaction/…`, which the test provider answers for the
 * account chosen with `signInAs`. Resolves to the provider's last page.
 */
export async function decideDeviceSignIn(
  verificationUri: string,
  userCode: string,
  decision: DeviceDecision,
): Promise<DevicePage> {
  const browser = new ScriptedBrowser()
  const input = await browser.open(verificationUri)
  const confirmation = await browser.submit(input, { user_code: userCode })
  // The confirmation form carries `confirm=yes`; its abort button sends `abort=yes` instead.
  const answer = decision === 'approve' ? 'confirm' : 'abort'

  return browser.submit(confirmation, { user_code: userCode, [answer]: 'yes' })
}

/**
 * A person's browser, scripted: `fetch` with a cookie jar (by path; cookies ignore ports, and
 * every test server is on 127.0.0.1) and redirects followed by hand, as oidc-provider's pages
 * need. `stopAt` leaves a redirect to an address starting with it unfollowed, so a test can
 * look at, replay or alter what the provider sends back.
 */
export class ScriptedBrowser {
  readonly #cookies = new Map<string, { value: string; path: string }>()
  #stopAt: string | undefined

  async open(
    url: string,
    options: { stopAt?: string } = {},
  ): Promise<DevicePage & { url: string }> {
    this.#stopAt = options.stopAt
    try {
      return await this.#follow(await this.#request(url, { method: 'GET' }), url)
    } finally {
      this.#stopAt = undefined
    }
  }

  /** Requests `url` once with the jar's cookies, following no redirect. */
  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.#request(url, { method: 'GET', headers })
  }

  /** Sends a request with the jar's cookies, as a page of this browser would. */
  async send(url: string, init: RequestInit): Promise<Response> {
    return this.#request(url, init)
  }

  /** The value of a cookie the jar holds, by name. */
  cookie(name: string): string | undefined {
    for (const [key, cookie] of this.#cookies) {
      if (key.slice(cookie.path.length + 1) === name) return cookie.value
    }
    return undefined
  }

  /** Forgets a cookie, as a browser clearing its data would. */
  forget(name: string): void {
    for (const [key, cookie] of this.#cookies) {
      if (key.slice(cookie.path.length + 1) === name) this.#cookies.delete(key)
    }
  }

  /** Posts the page's first form with its hidden `xsrf` and `fields`. */
  async submit(page: DevicePage & { url: string }, fields: Record<string, string>) {
    const action = /<form[^>]*action="([^"]+)"/.exec(page.body)?.[1]
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1]
    if (action === undefined || xsrf === undefined) {
      throw new Error(`no device form on the page (status ${page.status}): ${page.body}`)
    }
    const target = new URL(action, page.url).href
    const body = new URLSearchParams({ xsrf, ...fields })
    const response = await this.#request(target, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    return this.#follow(response, target)
  }

  async #follow(first: Response, firstUrl: string): Promise<DevicePage & { url: string }> {
    let response = first
    let url = firstUrl
    for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
      const location = response.headers.get('location')
      if (location === null || hops > 10) throw new Error(`bad redirect from ${url}`)
      await response.body?.cancel()
      url = new URL(location, url).href
      if (this.#stopAt !== undefined && url.startsWith(this.#stopAt)) {
        return { status: response.status, body: '', url }
      }
      response = await this.#request(url, { method: 'GET' })
    }
    return { status: response.status, body: await response.text(), url }
  }

  async #request(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers)
    const cookie = this.#cookieFor(new URL(url).pathname)
    if (cookie !== '') headers.set('cookie', cookie)
    const response = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) this.#store(line)
    return response
  }

  #store(line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
    const at = pair.indexOf('=')
    const name = pair.slice(0, at)
    const value = pair.slice(at + 1)
    const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/'
    const expires = attributes.find((a) => /^expires=/i.test(a))?.slice(8)
    const gone = value === '' || (expires !== undefined && Date.parse(expires) <= Date.now())
    if (gone) this.#cookies.delete(`${path} ${name}`)
    else this.#cookies.set(`${path} ${name}`, { value, path })
  }

  #cookieFor(pathname: string): string {
    const sent: string[] = []
    for (const [key, cookie] of this.#cookies) {
      if (!pathname.startsWith(cookie.path)) continue
      sent.push(`${key.slice(cookie.path.length + 1)}=${cookie.value}`)
    }
    return sent.join('; ')
  }
}

function listen(
  listener: { server: Server | undefined; port: number },
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer(handle)
    server.once('error', reject)
    server.listen(listener.port, '127.0.0.1', () => {
      listener.port = (server.address() as AddressInfo).port
      listener.server = server
      resolve()
    })
  })
}

function close(listener: { server: Server | undefined }): Promise<void> {
  const server = listener.server
  listener.server = undefined
  if (server === undefined) return Promise.resolve()
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
