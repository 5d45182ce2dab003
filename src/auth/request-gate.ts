import type { IncomingMessage } from 'node:http'

import type { Logger } from 'pino'

import { FluxgateError } from '../errors/index.js'
import { authorize } from './authorizer.js'
import { parseAuthorization, readCredential } from './credential-reader.js'
import { readSessionCookie } from './session-cookie.js'
import type { SystemResource } from './permission.js'
import type { Principal } from './principal.js'
import type { ApiTokenRecord } from './api-token-record.js'
import type { OauthAuthenticator } from './oauth/oauth-authenticator.js'
import { capabilitiesOf } from './roles.js'
import type { SessionManager } from './session-manager.js'
import type { TokenRegistry } from './token-registry.js'
import type { UserDirectory } from './user-directory.js'

/**
 * What an endpoint requires before its handler runs: nothing (`public`), a system permission,
 * an admin token, or (`scoped`) a grant on the resource the handler names, which the handler
 * asks the authorizer for.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'system'; resource: SystemResource }
  | { kind: 'admin' }
  | { kind: 'scoped' }

/** The authentication settings of a server. */
export interface GateOptions {
  registry: TokenRegistry
  /** Checks user access tokens (JWTs); undefined when user sign-in is off. */
  sessions: SessionManager | undefined
  /** Checks access tokens of the identity provider; absent when OAuth sign-in is off. */
  oauth?: OauthAuthenticator | undefined
  /**
   * The origin of the pages that may send the browser session cookie with a request that
   * changes something; undefined when browser sign-in is off.
   */
  browserOrigin?: string | undefined
  /** The users, to bound the tokens they created by what they may do now. */
  users: UserDirectory | undefined
  /** `--without-auth`: every request is unrestricted and token endpoints answer 405. */
  withoutAuth: boolean
  /** Paths exempted from authentication by `--disable-authz`. */
  exemptPaths: ReadonlySet<string>
}

/**
 * Turns a request into the principal it acts for, before routing: reads the credential, looks
 * the token up and checks the endpoint's own requirement. Throws ERR_AUTH_MALFORMED (400),
 * ERR_AUTH_UNAUTHENTICATED (401), ERR_AUTH_FORBIDDEN (403), ERR_ENDPOINT_DISABLED (405) or,
 * for an identity-provider token before the provider was discovered, ERR_OAUTH_UNAVAILABLE
 * (503).
 */
export class RequestGate {
  readonly #options: GateOptions

  constructor(options: GateOptions) {
    this.#options = options
  }

  async admit(
    req: IncomingMessage,
    url: URL,
    access: RouteAccess | undefined,
    log: Logger,
  ): Promise<Principal> {
    if (this.#options.withoutAuth) return this.#admitWithoutAuth(req, url)
    if (access?.kind === 'public' || this.#options.exemptPaths.has(url.pathname)) {
      return { kind: 'anonymous', unrestricted: false }
    }

    const principal = await this.#authenticate(req, url, log)
    if (access?.kind === 'system' || access?.kind === 'admin') {
      const check =
        access.kind === 'admin' ? access : { kind: 'system' as const, resource: access.resource }
      if (!authorize(principal, check).allowed) throw new FluxgateError('ERR_AUTH_FORBIDDEN')
    }
    return principal
  }

  async #authenticate(req: IncomingMessage, url: URL, log: Logger): Promise<Principal> {
    const credential = readCredential(req.headers, url.pathname, url.searchParams)
    if (credential.kind === 'malformed') throw new FluxgateError('ERR_AUTH_MALFORMED')
    if (credential.kind === 'none') return this.#authenticateCookie(req, log)

    return this.#authenticateSecret(credential.secret, log, req.socket.remoteAddress)
  }

  /**
   * The principal of a presented secret: an identity-provider token (routed by its unverified
   * `iss`; the verifier then checks it, with everything else), a user session's access token,
   * or an API token.
   */
  async #authenticateSecret(
    secret: string,
    log: Logger,
    clientAddress: string | undefined,
  ): Promise<Principal> {
    const { sessions, oauth } = this.#options
    if (oauth !== undefined && looksLikeJwt(secret) && oauth.isProviderToken(secret)) {
      const outcome = await oauth.authenticate(secret, { log, clientAddress })
      return outcome.ok ? outcome.principal : refuse(log, outcome.reason)
    }
    if (sessions !== undefined && looksLikeJwt(secret)) {
      return (await sessions.authenticate(secret)) ?? refuse(log, 'invalid_session_token')
    }

    const found = this.#options.registry.lookup(secret)
    return found.ok ? this.#tokenPrincipal(found.token, log) : refuse(log, found.reason)
  }

  /**
   * A browser signed in through the provider presents its session cookie instead of a header.
   * The cookie is SameSite=Lax, and a request that changes something must also come from this
   * server's own origin, so another site cannot make the browser act for its user (CSRF).
   */
  #authenticateCookie(req: IncomingMessage, log: Logger): Principal {
    const { sessions, browserOrigin } = this.#options
    const cookie = readSessionCookie(req.headers)
    if (cookie === undefined || sessions === undefined || browserOrigin === undefined) {
      return refuse(log, 'missing')
    }

    if (!isSafeMethod(req.method) && !fromOrigin(req, browserOrigin)) {
      log.info({ reason: 'cross_site_request' }, 'session cookie refused')
      throw new FluxgateError('ERR_CROSS_SITE_REQUEST')
    }
    return sessions.authenticateCookie(cookie) ?? refuse(log, 'invalid_session_cookie')
  }

  // A token made by a user dies with the user, and shrinks with the user's roles.
  #tokenPrincipal(token: ApiTokenRecord, log: Logger): Principal {
    if (token.createdByUserId === undefined) return { kind: 'token', token }

    const creator = this.#options.users?.active(token.createdByUserId)
    if (creator === undefined) return refuse(log, 'creator_gone')
    return { kind: 'token', token, creator: capabilitiesOf(creator.roleIds) }
  }

  /** The header is still parsed, as the reference does, so a malformed one is still a 400. */
  #admitWithoutAuth(req: IncomingMessage, url: URL): Principal {
    if (isTokenEndpoint(url.pathname)) {
      throw new FluxgateError('ERR_ENDPOINT_DISABLED')
    }
    if (readCredential(req.headers, url.pathname, url.searchParams).kind === 'malformed') {
      throw new FluxgateError('ERR_AUTH_MALFORMED')
    }
    return { kind: 'anonymous', unrestricted: true }
  }

  /**
   * Authenticates an `Authorization` value that did not come in an HTTP header (the gRPC
   * metadata of an Arrow Flight call) with the same checks as a header: API tokens, access
   * tokens of user sessions and identity-provider tokens. Throws ERR_AUTH_UNAUTHENTICATED when
   * the value is missing, malformed or refused, and ERR_OAUTH_UNAVAILABLE before discovery.
   */
  async authenticateAuthorization(
    value: string | undefined,
    log: Logger,
    clientAddress?: string,
  ): Promise<Principal> {
    if (this.#options.withoutAuth) return { kind: 'anonymous', unrestricted: true }

    const credential = value === undefined ? undefined : parseAuthorization(value)
    if (credential === undefined) return refuse(log, 'missing')
    if (credential.kind !== 'token') return refuse(log, 'malformed')

    return this.#authenticateSecret(credential.secret, log, clientAddress)
  }
}

function isSafeMethod(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS'
}

/** `Origin` names the page that sent the request; browsers set it on every unsafe request. */
function fromOrigin(req: IncomingMessage, origin: string): boolean {
  const sent = req.headers.origin
  if (sent !== undefined) return sent === origin
  return req.headers['sec-fetch-site'] === 'same-origin'
}

/** Three base64url parts: a JWS in compact form. API tokens carry no dots. */
function looksLikeJwt(secret: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(secret)
}

/** Token management makes no sense without authentication, so these paths answer 405. */
function isTokenEndpoint(path: string): boolean {
  return (
    path.startsWith('/api/v3/configure/token') ||
    path.startsWith('/api/v3/enterprise/configure/token')
  )
}

function refuse(log: Logger, reason: string): never {
  log.info({ reason }, 'authentication refused')
  throw new FluxgateError('ERR_AUTH_UNAUTHENTICATED')
}
