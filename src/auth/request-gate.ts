import type { IncomingMessage } from 'node:http'

import type { Logger } from 'pino'

import { FluxgateError } from '../errors/index.js'
import { authorize } from './authorizer.js'
import { readCredential } from './credential-reader.js'
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
    if (credential.kind === 'none') return refuse(log, 'missing')

    const { sessions, oauth } = this.#options
    // Routed by the unverified `iss`; the verifier then checks it, with everything else.
    if (
      oauth !== undefined &&
      looksLikeJwt(credential.secret) &&
      oauth.isProviderToken(credential.secret)
    ) {
      const outcome = await oauth.authenticate(credential.secret, {
        log,
        clientAddress: req.socket.remoteAddress,
      })
      return outcome.ok ? outcome.principal : refuse(log, outcome.reason)
    }
    if (sessions !== undefined && looksLikeJwt(credential.secret)) {
      const user = await sessions.authenticate(credential.secret)
      return user ?? refuse(log, 'invalid_session_token')
    }

    const found = this.#options.registry.lookup(credential.secret)
    if (!found.ok) return refuse(log, found.reason)
    return this.#tokenPrincipal(found.token, log)
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
