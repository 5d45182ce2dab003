import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'

import type { CatalogStore } from './catalog-store.js'
import type { RefreshTokenRecord } from './refresh-token-record.js'
import type { SessionRecord } from './session-record.js'
import type { SessionStore } from './session-store.js'
import { openSqliteCatalogStore } from './sqlite-catalog-store.js'

const now = new Date('2026-03-01T10:00:00.000Z')
const day = 24 * 60 * 60 * 1000

/** `now` moved by `days` (negative: earlier), plus `millis`. */
function shift(days: number, millis = 0): Date {
  return new Date(now.getTime() + days * day + millis)
}

function session(id: string, userId: number, changes: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    userId,
    createdAt: shift(-1),
    expiresAt: shift(1),
    lastUsedAt: shift(-1),
    clientAddress: '192.0.2.7',
    endedAt: undefined,
    endReason: undefined,
    ...changes,
  }
}

function refreshToken(
  digest: string,
  sessionId: string,
  changes: Partial<RefreshTokenRecord> = {},
): RefreshTokenRecord {
  return {
    digest,
    sessionId,
    createdAt: shift(-1),
    expiresAt: shift(30),
    usedAt: undefined,
    ...changes,
  }
}

for (const backend of ['file', ':memory:'] as const) {
  describe(`SQLite session store (${backend})`, () => {
    let dir: string
    let catalog: CatalogStore
    let sessions: SessionStore
    let ada: number
    let bob: number

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'fluxgate-session-store-'))
      catalog = openSqliteCatalogStore(backend === 'file' ? join(dir, 'catalog.db') : ':memory:')
      sessions = catalog.sessions()
      ada = catalog.users().insertUser({ username: 'ada', roleIds: [1], at: shift(-9) }).id
      bob = catalog.users().insertUser({ username: 'bob', roleIds: [3], at: shift(-9) }).id
    })

    afterEach(() => {
      catalog.close()
      rmSync(dir, { recursive: true, force: true })
    })

    it('stores sessions with every field and lists a user’s sessions newest first', () => {
      const older = session('s-old', ada, { createdAt: shift(-3), clientAddress: undefined })
      const newest = session('s-new', ada, { createdAt: shift(-1) })
      const ended = session('s-ended', ada, {
        createdAt: shift(-2),
        endedAt: shift(-1),
        endReason: 'logout',
      })
      for (const record of [older, newest, ended, session('s-bob', bob)]) {
        sessions.insertSession(record)
      }

      assert.deepEqual(sessions.sessionsOf(ada), [newest, ended, older])
      assert.deepEqual(sessions.sessionsOf(999), [])
    })

    it('refuses a taken session id and an unknown user', () => {
      sessions.insertSession(session('s-1', ada))

      assert.throws(() => sessions.insertSession(session('s-1', bob)), {
        code: 'ERR_ALREADY_EXISTS',
        detail: 'session already exists',
      })
      assert.throws(() => sessions.insertSession(session('s-2', 999)), {
        code: 'ERR_RESOURCE_NOT_FOUND',
        detail: 'user 999 not found',
      })
      assert.deepEqual(
        sessions.sessionsOf(ada).map((s) => s.id),
        ['s-1'],
      )
      assert.deepEqual(sessions.sessionsOf(bob), [])
    })

    it('records use of a session without ever moving lastUsedAt backwards', () => {
      sessions.insertSession(session('s-1', ada))

      sessions.touchSession('s-1', now)
      sessions.touchSession('s-1', shift(0, -5))

      assert.deepEqual(sessions.sessionsOf(ada)[0]?.lastUsedAt, now)
      assert.throws(() => sessions.touchSession('nope', now), { code: 'ERR_RESOURCE_NOT_FOUND' })
    })

    it('ends a session once; a second end changes nothing', () => {
      sessions.insertSession(session('s-1', ada))

      assert.equal(sessions.endSession('s-1', now, 'logout'), true)
      assert.equal(sessions.endSession('s-1', shift(1), 'revoked'), false)

      const [ended] = sessions.sessionsOf(ada)
      assert.deepEqual([ended?.endedAt, ended?.endReason], [now, 'logout'])
      assert.throws(() => sessions.endSession('nope', now, 'logout'), {
        code: 'ERR_RESOURCE_NOT_FOUND',
        detail: 'session not found',
      })
    })

    it('ends every open session of a user but the one excepted, and returns their ids', () => {
      sessions.insertSession(session('s-1', ada))
      sessions.insertSession(session('s-2', ada))
      sessions.insertSession(session('s-keep', ada))
      sessions.insertSession(session('s-old', ada, { endedAt: shift(-1), endReason: 'logout' }))
      sessions.insertSession(session('s-bob', bob))

      const ended = sessions.endUserSessions(ada, now, 'password_changed', 's-keep')

      assert.deepEqual(ended.sort(), ['s-1', 's-2'])
      const byId = new Map(sessions.sessionsOf(ada).map((s) => [s.id, s]))
      assert.equal(byId.get('s-1')?.endReason, 'password_changed')
      assert.deepEqual(byId.get('s-2')?.endedAt, now)
      assert.equal(byId.get('s-keep')?.endedAt, undefined)
      assert.equal(byId.get('s-old')?.endReason, 'logout')
      assert.equal(sessions.sessionsOf(bob)[0]?.endedAt, undefined)
    })

    it('ends all open sessions of a user when none is excepted', () => {
      sessions.insertSession(session('s-1', ada))
      sessions.insertSession(session('s-2', ada))

      assert.deepEqual(sessions.endUserSessions(ada, now, 'user_deleted').sort(), ['s-1', 's-2'])
      assert.deepEqual(sessions.endUserSessions(ada, shift(1), 'user_deleted'), [])
      assert.deepEqual(sessions.liveSessions(now), [])
    })

    it('lists as live only sessions neither ended nor expired, oldest first', () => {
      const late = session('s-late', bob, { createdAt: shift(-1) })
      const early = session('s-early', ada, { createdAt: shift(-2) })
      sessions.insertSession(late)
      sessions.insertSession(early)
      sessions.insertSession(session('s-expiring', ada, { expiresAt: now }))
      sessions.insertSession(session('s-ended', ada, { endedAt: shift(-1), endReason: 'logout' }))

      assert.deepEqual(sessions.liveSessions(now), [early, late])
      assert.equal(sessions.liveSessions(shift(0, -1)).length, 3)
    })

    it('stores and finds refresh tokens by digest', () => {
      sessions.insertSession(session('s-1', ada))
      const token = refreshToken('digest-1', 's-1')
      const used = refreshToken('digest-2', 's-1', { usedAt: now })

      sessions.insertRefreshToken(token)
      sessions.insertRefreshToken(used)

      assert.deepEqual(sessions.findRefreshToken('digest-1'), token)
      assert.deepEqual(sessions.findRefreshToken('digest-2'), used)
      assert.equal(sessions.findRefreshToken('digest-3'), undefined)
    })

    it('refuses a taken digest and a refresh token of an unknown session', () => {
      sessions.insertSession(session('s-1', ada))
      sessions.insertRefreshToken(refreshToken('digest-1', 's-1'))

      assert.throws(() => sessions.insertRefreshToken(refreshToken('digest-1', 's-1')), {
        code: 'ERR_ALREADY_EXISTS',
        detail: 'refresh token already exists',
      })
      assert.throws(() => sessions.insertRefreshToken(refreshToken('digest-2', 'nope')), {
        code: 'ERR_RESOURCE_NOT_FOUND',
        detail: 'session not found',
      })
      assert.equal(sessions.findRefreshToken('digest-2'), undefined)
    })

    it('marks a refresh token used only once', () => {
      sessions.insertSession(session('s-1', ada))
      sessions.insertRefreshToken(refreshToken('digest-1', 's-1'))

      assert.equal(sessions.markRefreshTokenUsed('digest-1', now), true)
      assert.equal(sessions.markRefreshTokenUsed('digest-1', shift(1)), false)

      assert.deepEqual(sessions.findRefreshToken('digest-1')?.usedAt, now)
      assert.equal(sessions.markRefreshTokenUsed('unknown', now), false)
    })

    it('purges what expired or ended more than 7 days ago, with the refresh tokens of it', () => {
      sessions.insertSession(session('s-expired', ada, { expiresAt: shift(-7, -1) }))
      sessions.insertSession(session('s-expired-7d', ada, { expiresAt: shift(-7) }))
      sessions.insertSession(
        session('s-ended', ada, { endedAt: shift(-8), endReason: 'logout', expiresAt: shift(1) }),
      )
      sessions.insertSession(session('s-ended-recently', ada, { endedAt: shift(-1) }))
      sessions.insertSession(session('s-live', bob))
      sessions.insertRefreshToken(refreshToken('r-of-expired', 's-expired'))
      sessions.insertRefreshToken(refreshToken('r-of-ended', 's-ended'))
      sessions.insertRefreshToken(refreshToken('r-old', 's-live', { expiresAt: shift(-8) }))
      sessions.insertRefreshToken(refreshToken('r-recent', 's-live', { expiresAt: shift(-6) }))
      sessions.insertRefreshToken(refreshToken('r-live', 's-live'))

      assert.equal(sessions.purgeExpired(now), 5)

      assert.deepEqual(
        sessions
          .sessionsOf(ada)
          .map((s) => s.id)
          .sort(),
        ['s-ended-recently', 's-expired-7d'],
      )
      const kept = ['r-of-expired', 'r-of-ended', 'r-old', 'r-recent', 'r-live'].filter(
        (digest) => sessions.findRefreshToken(digest) !== undefined,
      )
      assert.deepEqual(kept, ['r-recent', 'r-live'])
      assert.equal(sessions.purgeExpired(now), 0)
    })
  })
}

describe('SQLite session store on a shared file', () => {
  let dir: string
  let path: string
  let open: CatalogStore[]

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fluxgate-session-store-'))
    path = join(dir, 'catalog.db')
    open = []
  })

  afterEach(() => {
    for (const catalog of open) catalog.close()
    rmSync(dir, { recursive: true, force: true })
  })

  function openCatalog(): CatalogStore {
    const catalog = openSqliteCatalogStore(path)
    open.push(catalog)
    return catalog
  }

  it('keeps sessions and refresh tokens across a reopen', () => {
    const first = openCatalog()
    const userId = first.users().insertUser({ username: 'ada', roleIds: [], at: now }).id
    const record = session('s-1', userId, { endedAt: now, endReason: 'logout' })
    const token = refreshToken('digest-1', 's-1', { usedAt: now })
    first.sessions().insertSession(record)
    first.sessions().insertRefreshToken(token)
    first.close()
    open = []

    const second = openCatalog().sessions()

    assert.deepEqual(second.sessionsOf(userId), [record])
    assert.deepEqual(second.findRefreshToken('digest-1'), token)
  })

  it('lets only one of two connections use the same refresh token', () => {
    const first = openCatalog()
    const userId = first.users().insertUser({ username: 'ada', roleIds: [], at: now }).id
    first.sessions().insertSession(session('s-1', userId))
    first.sessions().insertRefreshToken(refreshToken('digest-1', 's-1'))
    const second = openCatalog()

    const results = [
      second.sessions().markRefreshTokenUsed('digest-1', now),
      first.sessions().markRefreshTokenUsed('digest-1', now),
    ]

    assert.deepEqual(results, [true, false])
  })
})
