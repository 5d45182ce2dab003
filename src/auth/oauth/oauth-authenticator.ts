import { decodeJwt } from 'jose'
import type { Logger } from 'pino'

import type { UserRecord } from '../../catalog/index.js'
import { isFluxgateError } from '../../errors/index.js'
import type { Clock } from '../../shared/index.js'
import type { AuditTrail } from '../audit-trail.js'
import { userPrincipal } from '../principal.js'
import type { UserPrincipal } from '../principal.js'
import type { SessionManager } from '../session-manager.js'
import type { UserDirectory } from '../user-directory.js'
import type { OauthSettings } from './oauth-settings.js'
import type { ProviderRefusal } from './provider-token-verifier.js'
import type { ProviderTokenVerifier } from './provider-token-verifier.js'
import { sameRoles } from './role-mapping.js'

/** Everything provider sign-in works with. */
export interface OauthAuthenticatorOptions {
  settings: OauthSettings
  verifier: ProviderTokenVerifier
  users: UserDirectory
  /** Where each provider token gets its session, which logout ends. */
  sessions: Pick<SessionManager, 'providerTokenSession'>
  audit: AuditTrail
  clock: Clock
}

/** The request a provider token came with, for the log and the audit trail. */
export interface OauthRequest {
  log: Logger
  clientAddress: string | undefined
}

/** Who a provider token acts for, or why it acts for no one. */
export type OauthOutcome =
  | { ok: true; principal: UserPrincipal }
  | { ok: false; reason: ProviderRefusal | 'unknown_subject' | 'session_ended' }

/**
 * Turns a provider's access token into the Fluxgate user whose `oauthId` is its `sub`. Users
 * are keyed by `sub` alone, which is why one issuer is configured at a time. An unknown subject
 * is refused unless auto-provisioning is on; with a roles claim, the user's roles follow the
 * token's groups on every request. The user is looked up on every request, cached token or
 * not, so a deleted user is refused at once. Each token acts in a session of its own, which
 * logout ends: the token is refused from then on, not only at its expiry.
 */
export class OauthAuthenticator {
  readonly #options: OauthAuthenticatorOptions

  constructor(options: OauthAuthenticatorOptions) {
    this.#options = options
  }

  /** True when the token's unverified `iss` is the provider's: it goes to `authenticate`. */
  isProviderToken(token: string): boolean {
    try {
      return decodeJwt(token).iss === this.#options.settings.issuer
    } catch {
      return false
    }
  }

  /** Verifies the token and finds its user. Throws ERR_OAUTH_UNAVAILABLE before discovery. */
  async authenticate(token: string, request: OauthRequest): Promise<OauthOutcome> {
    const verified = await this.#options.verifier.verify(token)
    if (!verified.ok) return verified

    const { claims } = verified
    const user = this.userFor(claims.subject, claims.roleIds, request)
    if (user === undefined) return { ok: false, reason: 'unknown_subject' }

    const tokenOfSession = { id: claims.tokenId, expiresAt: claims.expiresAt }
    const { sessions } = this.#options
    const session = sessions.providerTokenSession(user, tokenOfSession, request.clientAddress)
    if (session === undefined) return { ok: false, reason: 'session_ended' }
    return { ok: true, principal: userPrincipal(user, session) }
  }

  /**
   * The user the provider vouched for as `subject`, provisioned when that is on, with roles
   * synchronised to `roleIds`, what the token's groups map to (undefined: leave them); undefined
   * for an unknown subject. Provider access tokens and browser sign-ins (with the ID token's
   * groups) both come through here.
   */
  userFor(
    subject: string,
    roleIds: readonly number[] | undefined,
    request: OauthRequest,
  ): UserRecord | undefined {
    const found = this.#options.users.byOauthId(subject)
    if (found === undefined && !this.#options.settings.autoProvision) return undefined

    return found === undefined
      ? this.#provision(subject, roleIds ?? [], request)
      : this.#syncRoles(found, roleIds, request)
  }

  #provision(subject: string, roleIds: readonly number[], request: OauthRequest): UserRecord {
    const { users, clock } = this.#options
    try {
      const user = users.create({ oauthId: subject, roleIds: [...roleIds] }, clock.now())
      this.#record('user_create', user, request, `provisioned, roles ${describe(roleIds)}`)
      return user
    } catch (error) {
      // Two first requests of the same subject raced; the other one created the user.
      const other = users.byOauthId(subject)
      if (!isFluxgateError(error, 'ERR_USER_EXISTS') || other === undefined) throw error
      return other
    }
  }

  #syncRoles(user: UserRecord, roleIds: readonly number[] | undefined, request: OauthRequest) {
    // The user's roles may have changed since the token was verified: compared on every request.
    if (roleIds === undefined || sameRoles(user.roleIds, roleIds)) return user

    try {
      const { users, clock } = this.#options
      const updated = users.setRoles(user.id, [...roleIds], clock.now())
      this.#record('user_roles_set', updated, request, `from provider: ${describe(roleIds)}`)
      return updated
    } catch (error) {
      if (!isFluxgateError(error, 'ERR_LAST_ADMIN')) throw error

      // The last admin keeps the Admin role, whatever the provider's groups say.
      request.log.warn({ userId: user.id }, 'role mapping would remove the last admin; kept')
      return user
    }
  }

  #record(action: string, user: UserRecord, request: OauthRequest, detail: string): void {
    this.#options.audit.record({
      action,
      outcome: 'success',
      actor: { kind: 'identity_provider', id: undefined, name: this.#options.settings.issuer },
      target: `user:${user.id}`,
      clientAddress: request.clientAddress,
      detail,
    })
  }
}

function describe(roleIds: readonly number[]): string {
  return roleIds.length === 0 ? 'none' : roleIds.join(',')
}
