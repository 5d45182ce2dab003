import type Database from 'better-sqlite3'

import { FluxgateError } from '../errors/index.js'
import {
  dateOrUndefined,
  isConstraintError,
  millisOrNull,
  orUndefined,
} from './internal/sqlite-values.js'
import type { RefreshTokenRecord } from './refresh-token-record.js'
import type { SessionRecord } from './session-record.js'
import type { SessionStore } from './session-store.js'

const sessionSchema = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  client_address TEXT,
  ended_at INTEGER,
  end_reason TEXT
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS refresh_tokens (
  digest TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX IF NOT EXISTS refresh_tokens_session ON refresh_tokens (session_id);
`

/** How long an expired or ended session and an expired refresh token stay for inspection. */
const keepAfterEndMillis = 7 * 24 * 60 * 60 * 1000

interface SessionRow {
  id: string
  user_id: number
  created_at: number
  expires_at: number
  last_used_at: number
  client_address: string | null
  ended_at: number | null
  end_reason: string | null
}

interface RefreshTokenRow {
  digest: string
  session_id: string
  created_at: number
  expires_at: number
  used_at: number | null
}

/** Creates the session and refresh token tables when missing; needs the user tables. */
export function createSessionTables(db: Database.Database): void {
  db.exec(sessionSchema)
}

/** The SessionStore of a SQLite catalog, sharing the catalog's connection. */
export class SqliteSessionStore implements SessionStore {
  readonly #db: Database.Database
  readonly #sql: ReturnType<typeof prepareSessionStatements>

  constructor(db: Database.Database) {
    this.#db = db
    this.#sql = prepareSessionStatements(db)
  }

  insertSession(record: SessionRecord): void {
    try {
      this.#sql.insertSession.run(toSessionRow(record))
    } catch (error) {
      if (isConstraintError(error, 'PRIMARYKEY'))
        throw new FluxgateError('ERR_ALREADY_EXISTS', 'session already exists', { cause: error })
      if (isConstraintError(error, 'FOREIGNKEY')) throw userNotFound(record.userId, error)
      throw error
    }
  }

  touchSession(id: string, at: Date): void {
    const { changes } = this.#sql.touchSession.run(at.getTime(), id)
    if (changes === 0) throw sessionNotFound()
  }

  endSession(id: string, at: Date, reason: string): boolean {
    return this.#db
      .transaction(() => {
        const { changes } = this.#sql.endSession.run(at.getTime(), reason, id)
        if (changes === 1) return true

        if (this.#sql.sessionExists.get(id) === undefined) throw sessionNotFound()
        return false
      })
      .immediate()
  }

  endUserSessions(userId: number, at: Date, reason: string, exceptSessionId?: string): string[] {
    return this.#sql.endUserSessions.all({
      userId,
      at: at.getTime(),
      reason,
      exceptId: exceptSessionId ?? null,
    })
  }

  liveSessions(now: Date): SessionRecord[] {
    return this.#sql.liveSessions.all(now.getTime()).map(toSessionRecord)
  }

  sessionsOf(userId: number): SessionRecord[] {
    return this.#sql.sessionsOf.all(userId).map(toSessionRecord)
  }

  insertRefreshToken(record: RefreshTokenRecord): void {
    try {
      this.#sql.insertRefreshToken.run(toRefreshTokenRow(record))
    } catch (error) {
      // The message leaves the digest out: it identifies a live credential.
      if (isConstraintError(error, 'PRIMARYKEY')) {
        const message = 'refresh token already exists'
        throw new FluxgateError('ERR_ALREADY_EXISTS', message, { cause: error })
      }
      if (isConstraintError(error, 'FOREIGNKEY')) throw sessionNotFound(error)
      throw error
    }
  }

  findRefreshToken(digest: string): RefreshTokenRecord | undefined {
    const row = this.#sql.refreshTokenByDigest.get(digest)
    return row === undefined ? undefined : toRefreshTokenRecord(row)
  }

  markRefreshTokenUsed(digest: string, at: Date): boolean {
    // One conditional UPDATE: SQLite serializes writers, so of two refreshes presenting the same
    // token only the first finds `used_at` empty.
    return this.#sql.markRefreshTokenUsed.run(at.getTime(), digest).changes === 1
  }

  purgeExpired(now: Date): number {
    const cutoff = now.getTime() - keepAfterEndMillis

    return this.#db
      .transaction(() => {
        const tokens = this.#sql.purgeRefreshTokens.run({ cutoff }).changes
        const sessions = this.#sql.purgeSessions.run({ cutoff }).changes
        return tokens + sessions
      })
      .immediate()
  }
}

function prepareSessionStatements(db: Database.Database) {
  return {
    insertSession: db.prepare<SessionRow>(
      `INSERT INTO sessions (id, user_id, created_at, expires_at, last_used_at, client_address,
         ended_at, end_reason)
       VALUES (@id, @user_id, @created_at, @expires_at, @last_used_at, @client_address,
         @ended_at, @end_reason)`,
    ),
    touchSession: db.prepare<[number, string]>(
      'UPDATE sessions SET last_used_at = max(last_used_at, ?) WHERE id = ?',
    ),
    endSession: db.prepare<[number, string, string]>(
      'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL',
    ),
    sessionExists: db.prepare<[string], string>('SELECT id FROM sessions WHERE id = ?').pluck(),
    endUserSessions: db
      .prepare<EndUserSessions, string>(
        `UPDATE sessions SET ended_at = @at, end_reason = @reason
         WHERE user_id = @userId AND ended_at IS NULL AND id IS NOT @exceptId
         RETURNING id`,
      )
      .pluck(),
    liveSessions: db.prepare<[number], SessionRow>(
      `SELECT * FROM sessions WHERE ended_at IS NULL AND expires_at > ?
       ORDER BY created_at, rowid`,
    ),
    sessionsOf: db.prepare<[number], SessionRow>(
      'SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at DESC, rowid DESC',
    ),
    insertRefreshToken: db.prepare<RefreshTokenRow>(
      `INSERT INTO refresh_tokens (digest, session_id, created_at, expires_at, used_at)
       VALUES (@digest, @session_id, @created_at, @expires_at, @used_at)`,
    ),
    refreshTokenByDigest: db.prepare<[string], RefreshTokenRow>(
      'SELECT * FROM refresh_tokens WHERE digest = ?',
    ),
    markRefreshTokenUsed: db.prepare<[number, string]>(
      'UPDATE refresh_tokens SET used_at = ? WHERE digest = ? AND used_at IS NULL',
    ),
    purgeRefreshTokens: db.prepare<{ cutoff: number }>(
      `DELETE FROM refresh_tokens WHERE expires_at < @cutoff OR session_id IN
         (SELECT id FROM sessions WHERE expires_at < @cutoff OR ended_at < @cutoff)`,
    ),
    purgeSessions: db.prepare<{ cutoff: number }>(
      'DELETE FROM sessions WHERE expires_at < @cutoff OR ended_at < @cutoff',
    ),
  }
}

interface EndUserSessions {
  userId: number
  at: number
  reason: string
  exceptId: string | null
}

function sessionNotFound(cause?: unknown): FluxgateError {
  return new FluxgateError('ERR_RESOURCE_NOT_FOUND', 'session not found', { cause })
}

function userNotFound(userId: number, cause: unknown): FluxgateError {
  return new FluxgateError('ERR_RESOURCE_NOT_FOUND', `user ${userId} not found`, { cause })
}

function toSessionRow(record: SessionRecord): SessionRow {
  return {
    id: record.id,
    user_id: record.userId,
    created_at: record.createdAt.getTime(),
    expires_at: record.expiresAt.getTime(),
    last_used_at: record.lastUsedAt.getTime(),
    client_address: record.clientAddress ?? null,
    ended_at: millisOrNull(record.endedAt),
    end_reason: record.endReason ?? null,
  }
}

function toSessionRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    lastUsedAt: new Date(row.last_used_at),
    clientAddress: orUndefined(row.client_address),
    endedAt: dateOrUndefined(row.ended_at),
    endReason: orUndefined(row.end_reason),
  }
}

function toRefreshTokenRow(record: RefreshTokenRecord): RefreshTokenRow {
  return {
    digest: record.digest,
    session_id: record.sessionId,
    created_at: record.createdAt.getTime(),
    expires_at: record.expiresAt.getTime(),
    used_at: millisOrNull(record.usedAt),
  }
}

function toRefreshTokenRecord(row: RefreshTokenRow): RefreshTokenRecord {
  return {
    digest: row.digest,
    sessionId: row.session_id,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    usedAt: dateOrUndefined(row.used_at),
  }
}
