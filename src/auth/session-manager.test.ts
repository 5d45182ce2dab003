import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'

import { openSqliteCatalogStore } from '../catalog/index.js'
import { frozenClock } from '../shared/index.js'
import { AuditTrail } from './audit-trail.js'
import { LoginThrottle } from './login-throttle.js'
import { PasswordHasher } from './password-hasher.js'
import { defaultPasswordLimits } from './password-policy.js'
import { SessionManager } from './session-manager.js'
import { loadSigningKey } from './signing-key.js'
import { UserDirectory } from './user-directory.js'

describe('SessionManager', () => {
  const store = openSqliteCatalogStore(':memory:')
  after(() => store.close())

  it('forgets expired sessions in memory and, a week after expiry, in the catalog', async () => {
    const clock = frozenClock('2026-06-01T08:00:00Z')
    const users = new UserDirectory(store.users())
    const hasher = new PasswordHasher(1)
    const passwordHash = await hasher.hash('correct horse battery staple')
    const user = users.create({ username: 'ada', passwordHash, roleIds: [1] }, clock.now())
    const sessions = new SessionManager({
      users,
      store: store.sessions(),
      atomically: (work) => store.transaction(work),
      hasher,
      throttle: new LoginThrottle(clock),
      audit: new AuditTrail(store.audit(), clock, (work) => store.transaction(work)),
      tokens: {
        key: await loadSigningKey({ kind: 'ephemeral' }),
        issuer: 'influxdb3-enterprise',
        audience: 'cluster',
        ttlSeconds: 3600,
        clock,
      },
      passwords: defaultPasswordLimits,
      clock,
    })
    await sessions.login('ada', 'correct horse battery staple', '127.0.0.1')
    assert.equal(store.sessions().sessionsOf(user.id).length, 1)

    clock.advance({ seconds: 8 * 24 * 3600 })
    sessions.purgeExpired()
    assert.deepEqual(sessions.sessionsOf(user.id), [])
    assert.equal(store.sessions().sessionsOf(user.id).length, 1, 'kept a week past expiry')

    clock.advance({ seconds: 7 * 24 * 3600 })
    sessions.purgeExpired()
    assert.equal(store.sessions().sessionsOf(user.id).length, 0)
  })
})
