import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'

import { hash, verify } from '@node-rs/argon2'

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

  const clock = frozenClock('2026-06-01T08:00:00Z')
  const users = new UserDirectory(store.users())
  const hasher = new PasswordHasher(1)
  const password = 'correct horse battery staple'
  const managerWith = async () =>
    new SessionManager({
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
      passwordSignIn: true,
      clock,
    })

  it('PS-4 replaces a hash made with weaker parameters at sign-in', async () => {
    const weak = await hash(password, { algorithm: 2, memoryCost: 4096, timeCost: 1 })
    const user = users.create({ username: 'old', passwordHash: weak, roleIds: [] }, clock.now())
    const sessions = await managerWith()

    await sessions.login('old', password, '127.0.0.1')

    const upgraded = users.active(user.id)?.passwordHash ?? ''
    assert.match(upgraded, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    assert.ok(await verify(upgraded, password))
  })

  it('forgets expired sessions in memory and, a week after expiry, in the catalog', async () => {
    const passwordHash = await hasher.hash(password)
    const user = users.create({ username: 'ada', passwordHash, roleIds: [1] }, clock.now())
    const sessions = await managerWith()
    await sessions.login('ada', password, '127.0.0.1')
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
