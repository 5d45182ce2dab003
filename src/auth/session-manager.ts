import type { JWK } from 'jose'

import type { SessionRecord, SessionStore, UserRecord } from '../catalog/index.js'
import { FluxgateError, isFluxgateError } from '../errors/index.js'
import type { Clock } from '../shared/index.js'
import type { AccessTokenSettings } from './access-token.js'
import { AccessTokenVerifier, issueAccessToken } from './access-token.js'
import type { Atomically, AuditActor, AuditTrail } from './audit-trail.js'
import { randomSecret, sha256 } from './internal/secrets.js'
import type { LoginThrottle } from './login-throttle.js'
import type { PasswordHasher } from './password-hasher.js'
import type { PasswordLimits } from './password-policy.js'
import { passwordProblem } from './password-policy.js'
import { userPrincipal } from './principal.js'
import type { UserPrincipal } from './principal.js'
import type { UserDirectory } from './user-directory.js'

/** What a sign-in or a refresh answers, as `POST /api/v3/authorize` renders it. */
export interface IssuedSession {
  token: string
  refreshToken: string
  userId: number
  /** When the access token expires, in epoch seconds. */
  expiresAt: number
}

/** Everything the session manager works with. */
export interface SessionManagerOptions {
  users: UserDirectory
  store: SessionStore
  hasher: PasswordHasher
  throttle: LoginThrottle
  audit: AuditTrail
  /** Runs catalog writes in one transaction: one sync per sign-in instead of one per row. */
  atomically: Atomically
  tokens: AccessTokenSettings
  passwords: PasswordLimits
  /** `--user-auth-type` includes `basic`: sign-in and password change by password. */
  passwordSignIn: boolean
  clock: Clock
}

/** How long a session lives however often it is refreshed. */
const sessionLifetimeMs = 7 * 24 * 3600 * 1000
/** A browser session is not refreshed: one working day, then the provider is asked again. */
export const browserSessionLifetimeMs = 12 * 3600 * 1000
const refreshTokenPrefix = 'fgrt_'
const browserCookiePrefix = 'fgs_'
const providerSessionPrefix = 'oauth:'

/**
 * Sign-in, refresh, sign-out and password changes, and the check of every access token a
 * request presents. Sessions live on the server: a JWT is honoured only while its session is,
 * so signing out, changing the password or deleting the user ends it at once, not at expiry.
 * Refresh tokens are single use; presenting a used one ends the whole session, since one of the
 * two holders is not its owner.
 */
export class SessionManager {
  readonly #options: SessionManagerOptions
  readonly #verifier: AccessTokenVerifier
  /** Sessions neither ended nor expired, by id: the check every request makes. */
  readonly #live = new Map<string, SessionRecord>()

  constructor(options: SessionManagerOptions) {
    this.#options = options
    this.#verifier = new AccessTokenVerifier(options.tokens)
    for (const session of options.store.liveSessions(options.clock.now())) {
      this.#live.set(session.id, session)
    }
  }

  async login(username: string, password: string, address: string): Promise<IssuedSession> {
    this.#assertPasswordSignIn()
    const user = await this.#checkCredentials('login', username, password, address)
    if (user.requiresPasswordReset) {
      this.#record('login', 'denied', userActor(user), address, 'password reset required')
      throw new FluxgateError('ERR_PASSWORD_RESET_REQUIRED')
    }

    await this.#upgradeHash(user, password)
    const issued = await this.#open(user, address)
    this.#record('login', 'success', userActor(user), address)
    return issued
  }

  async refresh(refreshToken: string, address: string): Promise<IssuedSession> {
    const now = this.#options.clock.now()
    const digest = digestOf(refreshToken)
    const record = this.#options.store.findRefreshToken(digest)
    if (record === undefined) throw new FluxgateError('ERR_REFRESH_REJECTED')

    const session = this.#live.get(record.sessionId)
    const firstUse =
      record.usedAt === undefined && this.#options.store.markRefreshTokenUsed(digest, now)
    if (!firstUse) {
      this.#reuseDetected(record.sessionId, address)
      throw new FluxgateError('ERR_REFRESH_REJECTED')
    }

    const user = session === undefined ? undefined : this.#options.users.active(session.userId)
    if (session === undefined || user === undefined || record.expiresAt <= now) {
      throw new FluxgateError('ERR_REFRESH_REJECTED')
    }

    const issued = await this.#continue(session, user, { opening: false })
    this.#record('refresh', 'success', userActor(user), address)
    return issued
  }

  /** Ends the caller's session: its access token is refused from the next request on. */
  logout(principal: UserPrincipal, address: string): void {
    this.endSession(principal.sessionId, 'logout')
    this.#record('logout', 'success', principalActor(principal), address)
  }

  /** Changes a password with the current one; every session of the user ends. */
  async resetPassword(
    change: { username: string; currentPassword: string; newPassword: string },
    address: string,
  ): Promise<void> {
    this.#assertPasswordSignIn()
    const { username, currentPassword } = change
    const user = await this.#checkCredentials('password_change', username, currentPassword, address)

    await this.setPassword(user, change.newPassword)
    this.#record('password_change', 'success', userActor(user), address)
  }

  /** Sets a user's password after the policy check, and ends all of the user's sessions. */
  async setPassword(user: UserRecord, password: string): Promise<void> {
    const passwordHash = await this.hashNewPassword(password, user.username)
    const now = this.#options.clock.now()
    this.#options.users.update(user.id, { passwordHash, requiresPasswordReset: false }, now)
    this.endUserSessions(user.id, 'password_change')
  }

  /** The hash of a new password, once the policy accepts it (ERR_PASSWORD_REJECTED). */
  async hashNewPassword(password: string, username: string | undefined): Promise<string> {
    const problem = passwordProblem(password, { username, limits: this.#options.passwords })
    if (problem !== undefined) throw new FluxgateError('ERR_PASSWORD_REJECTED', problem)

    return await this.#options.hasher.hash(password)
  }

  /**
   * The principal an access token stands for, or undefined when the token is invalid, its
   * session over, or its user gone. Roles are the user's current ones.
   */
  async authenticate(token: string): Promise<UserPrincipal | undefined> {
    const verified = await this.#verifier.verify(token)
    if (!verified.ok) return undefined

    const { claims } = verified
    const session = this.#live.get(claims.sessionId)
    const now = this.#options.clock.now()
    if (session === undefined || session.userId !== claims.userId || session.expiresAt <= now) {
      return undefined
    }

    return this.#principalOf(session)
  }

  #principalOf(session: SessionRecord): UserPrincipal | undefined {
    const user = this.#options.users.active(session.userId)
    return user === undefined ? undefined : userPrincipal(user, session.id)
  }

  /**
   * Opens a session for a user the identity provider vouched for in a browser, and returns the
   * value of its cookie, shown once. That value is the only secret; the session id is its
   * SHA-256, so the catalog and the session listings never hold what would let someone
   * present it.
   */
  openBrowserSession(user: UserRecord, address: string): string {
    const now = this.#options.clock.now()
    const cookieValue = randomSecret(32, browserCookiePrefix)
    const session: SessionRecord = {
      id: browserSessionId(cookieValue),
      userId: user.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + browserSessionLifetimeMs),
      lastUsedAt: now,
      clientAddress: address,
      endedAt: undefined,
      endReason: undefined,
    }

    this.#options.store.insertSession(session)
    this.#live.set(session.id, session)
    this.#record('login', 'success', userActor(user), address, 'browser, identity provider')
    return cookieValue
  }

  /**
   * The session a provider access token acts in, named by the token's id: opened the first time
   * the token is seen, so that logout ends it like any other session and the token is refused
   * from then on, restarts included. Undefined when that session has ended.
   */
  providerTokenSession(
    user: UserRecord,
    token: { id: string; expiresAt: Date },
    address: string | undefined,
  ): string | undefined {
    const id = `${providerSessionPrefix}${token.id}`
    const live = this.#live.get(id)
    if (live !== undefined) return live.userId === user.id ? id : undefined

    const now = this.#options.clock.now()
    const session: SessionRecord = {
      id,
      userId: user.id,
      createdAt: now,
      expiresAt: token.expiresAt,
      lastUsedAt: now,
      clientAddress: address,
      endedAt: undefined,
      endReason: undefined,
    }
    try {
      this.#options.store.insertSession(session)
    } catch (error) {
      // Not live, yet stored: the session ended (logout, user's sessions ended) or expired.
      if (isFluxgateError(error, 'ERR_ALREADY_EXISTS')) return undefined
      throw error
    }
    this.#live.set(id, session)
    return id
  }

  /** The principal a browser session cookie stands for, as `authenticate` does for a JWT. */
  authenticateCookie(cookieValue: string): UserPrincipal | undefined {
    if (!cookieValue.startsWith(browserCookiePrefix)) return undefined

    const session = this.#live.get(browserSessionId(cookieValue))
    if (session === undefined || session.expiresAt <= this.#options.clock.now()) return undefined

    return this.#principalOf(session)
  }

  /** The public half of the signing key, as `/.well-known/jwks.json` publishes it. */
  publicJwk(): JWK {
    return this.#options.tokens.key.jwk
  }

  /** The user's sessions still live, newest first. */
  sessionsOf(userId: number): SessionRecord[] {
    const now = this.#options.clock.now()
    return this.#options.store
      .sessionsOf(userId)
      .filter((session) => session.endedAt === undefined && session.expiresAt > now)
  }

  /** Forgets sessions that expired, here and, a week later, in the catalog. */
  purgeExpired(): void {
    const now = this.#options.clock.now()
    for (const [id, session] of this.#live) {
      if (session.expiresAt <= now) this.#live.delete(id)
    }
    this.#options.store.purgeExpired(now)
  }

  endSession(sessionId: string, reason: string): void {
    this.#options.store.endSession(sessionId, this.#options.clock.now(), reason)
    this.#live.delete(sessionId)
  }

  /** Ends every session of a user, but `except` when given. */
  endUserSessions(userId: number, reason: string, except?: string): void {
    const now = this.#options.clock.now()
    const ended = this.#options.store.endUserSessions(userId, now, reason, except)
    for (const sessionId of ended) this.#live.delete(sessionId)
  }

  /**
   * The user a username and password name, for a sign-in or a password change: throttled,
   * recorded when they fail, and answered alike for an unknown user and a wrong password.
   */
  async #checkCredentials(
    action: string,
    username: string,
    password: string,
    address: string,
  ): Promise<UserRecord> {
    this.#assertNotThrottled(username, address)

    const user = this.#options.users.byUsername(username)
    const matches = await this.#options.hasher.verify(user?.passwordHash, password)
    if (user === undefined || !matches) {
      this.#options.throttle.recordFailure(username, address)
      this.#record(action, 'failure', { kind: 'user', id: undefined, name: username }, address)
      throw new FluxgateError('ERR_LOGIN_FAILED')
    }

    this.#options.throttle.recordSuccess(username)
    return user
  }

  #assertPasswordSignIn(): void {
    if (!this.#options.passwordSignIn) throw new FluxgateError('ERR_USER_AUTH_DISABLED')
  }

  #assertNotThrottled(username: string, address: string): void {
    const wait = this.#options.throttle.waitSeconds(username, address)
    if (wait === 0) return

    this.#record(
      'login',
      'denied',
      { kind: 'user', id: undefined, name: username },
      address,
      'throttled',
    )
    throw new FluxgateError('ERR_LOGIN_THROTTLED', undefined, { retryAfterSeconds: wait })
  }

  // A hash made with weaker parameters than today's is replaced while the password is at hand.
  async #upgradeHash(user: UserRecord, password: string): Promise<void> {
    if (user.passwordHash === undefined || !this.#options.hasher.needsRehash(user.passwordHash)) {
      return
    }

    const passwordHash = await this.#options.hasher.hash(password)
    this.#options.users.update(user.id, { passwordHash }, this.#options.clock.now())
  }

  async #open(user: UserRecord, address: string): Promise<IssuedSession> {
    const now = this.#options.clock.now()
    const session: SessionRecord = {
      id: randomSecret(16),
      userId: user.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + sessionLifetimeMs),
      lastUsedAt: now,
      clientAddress: address,
      endedAt: undefined,
      endReason: undefined,
    }

    const issued = await this.#continue(session, user, { opening: true })
    this.#live.set(session.id, session)
    return issued
  }

  // A new access token and a new refresh token for the session, signed first and then stored
  // in one transaction with the session itself when it is new.
  async #continue(
    session: SessionRecord,
    user: UserRecord,
    { opening }: { opening: boolean },
  ): Promise<IssuedSession> {
    const now = this.#options.clock.now()
    const refreshToken = randomSecret(32, refreshTokenPrefix)
    const { token, claims } = await issueAccessToken(this.#options.tokens, {
      userId: user.id,
      sessionId: session.id,
    })

    const { store } = this.#options
    this.#options.atomically(() => {
      if (opening) store.insertSession(session)
      else store.touchSession(session.id, now)
      store.insertRefreshToken({
        digest: digestOf(refreshToken),
        sessionId: session.id,
        createdAt: now,
        expiresAt: session.expiresAt,
        usedAt: undefined,
      })
    })

    const expiresAt = Math.floor(claims.expiresAt.getTime() / 1000)
    return { token, refreshToken, userId: user.id, expiresAt }
  }

  #reuseDetected(sessionId: string, address: string): void {
    const session = this.#live.get(sessionId)
    this.endSession(sessionId, 'refresh_token_reuse')
    const actor = {
      kind: 'user',
      id: session === undefined ? undefined : String(session.userId),
      name: undefined,
    }
    this.#record('refresh_token_reuse', 'denied', actor, address, 'session ended')
  }

  #record(
    action: string,
    outcome: 'success' | 'failure' | 'denied',
    actor: AuditActor,
    clientAddress: string,
    detail?: string,
  ): void {
    this.#options.audit.record({ action, outcome, actor, target: undefined, clientAddress, detail })
  }
}

/** Refresh tokens carry 256 random bits: one SHA-256 is as good as a slow hash here. */
function digestOf(refreshToken: string): string {
  return sha256(refreshToken, 'hex')
}

function browserSessionId(cookieValue: string): string {
  return sha256(cookieValue, 'base64url')
}

function userActor(user: UserRecord): AuditActor {
  return { kind: 'user', id: String(user.id), name: user.username }
}

function principalActor(principal: UserPrincipal): AuditActor {
  return { kind: 'user', id: String(principal.userId), name: principal.username }
}
