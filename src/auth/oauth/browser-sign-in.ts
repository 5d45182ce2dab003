import type { JWTPayload } from 'jose'
import type { Logger } from 'pino'

import { FluxgateError } from '../../errors/index.js'
import type { Clock } from '../../shared/index.js'
import type { AuditTrail } from '../audit-trail.js'
import type { SessionManager } from '../session-manager.js'
import { redeemCode } from './code-redemption.js'
import { verifyIdToken } from './id-token-verifier.js'
import type { OauthAuthenticator } from './oauth-authenticator.js'
import type { BrowserSignInSettings } from './oauth-settings.js'
import { PendingSignIns, pkceChallenge } from './pending-sign-ins.js'
import type { ProviderClient } from './provider-client.js'
import { mappedRoleIds } from './role-mapping.js'

/** Everything the browser sign-in works with. */
export interface BrowserSignInOptions {
  provider: ProviderClient
  browser: BrowserSignInSettings
  authenticator: OauthAuthenticator
  sessions: SessionManager
  audit: AuditTrail
  clock: Clock
}

/** Where to send the browser to sign in, and the cookie that ties the callback to it. */
export interface SignInStart {
  authorizationUrl: string
  browserBinding: string
}

/** A finished sign-in: the session cookie's value and where the browser goes next. */
export interface SignInResult {
  cookieValue: string
  returnTo: string
}

/** The callback as the browser brought it back. */
export interface SignInCallback {
  query: URLSearchParams
  browserBinding: string | undefined
  clientAddress: string
  log: Logger
}

/**
 * Signs a browser in through the identity provider with the authorization code flow: PKCE
 * (S256), `state` and `nonce`, the exact redirect URI, and an ID token checked for this client
 * and this sign-in. The outcome is a Fluxgate session behind an HttpOnly cookie, which logout
 * ends on the server. Every failure is the same ERR_OAUTH_SIGN_IN_FAILED to the browser; the
 * log and the audit trail say why.
 */
export class BrowserSignIn {
  readonly #options: BrowserSignInOptions
  readonly #pending: PendingSignIns

  constructor(options: BrowserSignInOptions) {
    this.#options = options
    this.#pending = new PendingSignIns(options.clock)
  }

  /** Whether the browser's cookies must be `Secure`. */
  get secureCookie(): boolean {
    return this.#options.browser.secureCookie
  }

  /** Starts a sign-in. Throws ERR_OAUTH_UNAVAILABLE until the provider was discovered. */
  start(returnTo: string | undefined): SignInStart {
    const { metadata } = this.#options.provider.discovered()
    if (metadata.authorizationEndpoint === undefined) {
      throw new FluxgateError('ERR_OAUTH_UNAVAILABLE', 'provider has no authorization endpoint')
    }

    const pending = this.#pending.open(safeReturnPath(returnTo))
    const { settings } = this.#options.provider
    const url = new URL(metadata.authorizationEndpoint)
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: settings.clientId,
      redirect_uri: this.#options.browser.redirectUri,
      scope: withOpenid(settings.scopes).join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: pkceChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    }).toString()
    return { authorizationUrl: url.href, browserBinding: pending.browserBinding }
  }

  /** Finishes a sign-in at the callback. Throws ERR_OAUTH_SIGN_IN_FAILED. */
  async finish(callback: SignInCallback): Promise<SignInResult> {
    const { query } = callback
    const pending = this.#pending.take(query.get('state') ?? '', callback.browserBinding)
    if (pending === undefined) return this.#fail(callback, 'unknown_state_or_browser')

    const { metadata, keys } = this.#options.provider.discovered()
    const { settings } = this.#options.provider
    const providerError = query.get('error')
    if (providerError !== null) return this.#fail(callback, 'provider_error')
    const issuer = query.get('iss')
    if (issuer === null ? metadata.sendsIssuerInResponse : issuer !== settings.issuer) {
      return this.#fail(callback, 'wrong_issuer_in_response')
    }
    const code = query.get('code')
    if (code === null || metadata.tokenEndpoint === undefined) {
      return this.#fail(callback, 'no_code')
    }

    const redeemed = await redeemCode(
      {
        tokenEndpoint: metadata.tokenEndpoint,
        code,
        codeVerifier: pending.codeVerifier,
        redirectUri: this.#options.browser.redirectUri,
      },
      settings,
      this.#options.provider.http(),
    )
    if (!redeemed.ok) return this.#fail(callback, `code_refused:${redeemed.reason}`)

    const expected = { ...settings, nonce: pending.nonce, keys, clock: this.#options.clock }
    const verified = await verifyIdToken(redeemed.idToken, expected)
    if (!verified.ok) return this.#fail(callback, `id_token:${verified.reason}`)

    return this.#openSession(callback, verified.payload, pending.returnTo)
  }

  #openSession(callback: SignInCallback, claims: JWTPayload, returnTo: string): SignInResult {
    const request = { log: callback.log, clientAddress: callback.clientAddress }
    const subject = typeof claims.sub === 'string' ? claims.sub : ''
    const roleIds = mappedRoleIds(this.#options.provider.settings, claims)
    const user = this.#options.authenticator.userFor(subject, roleIds, request)
    if (user === undefined) return this.#fail(callback, 'unknown_subject')

    const cookieValue = this.#options.sessions.openBrowserSession(user, callback.clientAddress)
    return { cookieValue, returnTo }
  }

  #fail(callback: SignInCallback, reason: string): never {
    callback.log.info({ reason }, 'browser sign-in refused')
    this.#options.audit.record({
      action: 'login',
      outcome: 'failure',
      actor: {
        kind: 'identity_provider',
        id: undefined,
        name: this.#options.provider.settings.issuer,
      },
      target: undefined,
      clientAddress: callback.clientAddress,
      detail: `browser sign-in: ${reason}`,
    })
    throw new FluxgateError('ERR_OAUTH_SIGN_IN_FAILED')
  }
}

/**
 * Only a path on this server: an absolute or scheme-relative address (`//evil`, `/\evil`)
 * would make the sign-in an open redirect.
 */
function safeReturnPath(returnTo: string | undefined): string {
  if (returnTo === undefined || !returnTo.startsWith('/')) return '/'
  if (returnTo.startsWith('//') || returnTo.startsWith('/\\')) return '/'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(returnTo)) return '/'
  return returnTo
}

function withOpenid(scopes: readonly string[]): string[] {
  return scopes.includes('openid') ? [...scopes] : ['openid', ...scopes]
}
