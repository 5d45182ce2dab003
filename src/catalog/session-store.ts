import type { RefreshTokenRecord } from './refresh-token-record.js'
import type { SessionRecord } from './session-record.js'

/**
 * Durable home of login sessions and their refresh tokens. Every method is atomic. An unknown
 * session id throws ERR_RESOURCE_NOT_FOUND; an unknown refresh token is a value, not an error.
 */
export interface SessionStore {
  /**
   * Stores a new session. Throws ERR_ALREADY_EXISTS for a taken id and ERR_RESOURCE_NOT_FOUND
   * for an unknown user.
   */
  insertSession(record: SessionRecord): void
  /** Records use of the session at `at`; `lastUsedAt` never moves backwards. */
  touchSession(id: string, at: Date): void
  /** Ends the session and returns true; returns false, changing nothing, when it had ended. */
  endSession(id: string, at: Date, reason: string): boolean
  /**
   * Ends every session of the user that has not ended yet, except `exceptSessionId` (the one
   * making the request), and returns the ids it ended.
   */
  endUserSessions(userId: number, at: Date, reason: string, exceptSessionId?: string): string[]
  /** Sessions neither ended nor expired at `now`, oldest first. */
  liveSessions(now: Date): SessionRecord[]
  /** Every session of the user, ended ones included, newest first. */
  sessionsOf(userId: number): SessionRecord[]
  /**
   * Stores a new refresh token. Throws ERR_ALREADY_EXISTS for a taken digest and
   * ERR_RESOURCE_NOT_FOUND for an unknown session.
   */
  insertRefreshToken(record: RefreshTokenRecord): void
  findRefreshToken(digest: string): RefreshTokenRecord | undefined
  /**
   * Marks the refresh token used. True only for the first call on a token: of two concurrent
   * refreshes with one token, exactly one succeeds. False for an unknown digest.
   */
  markRefreshTokenUsed(digest: string, at: Date): boolean
  /**
   * Removes sessions that expired or ended, and refresh tokens that expired, more than 7 days
   * before `now`, together with the refresh tokens of removed sessions. Returns how many rows
   * (sessions and refresh tokens together) it removed.
   */
  purgeExpired(now: Date): number
}
