import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'

import Database from 'better-sqlite3'

import { frozenClock } from '../shared/index.js'
import type { CatalogStore } from './catalog-store.js'
import { openSqliteCatalogStore } from './sqlite-catalog-store.js'
import type { UserStore } from './user-store.js'

const seededAt = new Date('2026-03-01T10:00:00.000Z')
const t1 = new Date('2026-03-01T11:00:00.000Z')
const t2 = new Date('2026-03-01T12:00:00.000Z')
const t3 = new Date('2026-03-01T13:00:00.000Z')

for (const backend of ['file', ':memory:'] as const) {
  describe(`SQLite user store (${backend})`, () => {
    let dir: string
    let catalog: CatalogStore
    let users: UserStore

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'fluxgate-user-store-'))
      const path = backend === 'file' ? join(dir, 'catalog.db') : ':memory:'
      catalog = openSqliteCatalogStore(path, frozenClock(seededAt.toISOString()))
      users = catalog.users()
    })

    afterEach(() => {
      catalog.close()
      rmSync(dir, { recursive: true, force: true })
    })

    it('seeds the three built-in roles with fixed ids', () => {
      assert.deepEqual(users.loadRoles(), [
        {
          id: 1,
          name: 'Admin',
          description: 'Full access to all resources. Cannot be deleted.',
          isRequiredRole: true,
          createdAt: seededAt,
          updatedAt: seededAt,
        },
        {
          id: 2,
          name: 'Auditor',
          description:
            'Read-only access to databases, tokens, users, roles and system information.',
          isRequiredRole: false,
          createdAt: seededAt,
          updatedAt: seededAt,
        },
        {
          id: 3,
          name: 'Member',
          description:
            'Reads, writes, creates and deletes databases and manages its own resource tokens.',
          isRequiredRole: false,
          createdAt: seededAt,
          updatedAt: seededAt,
        },
      ])
    })

    it('stores a user with every field and its distinct roles in ascending order', () => {
      const ada = users.insertUser({
        username: 'ada',
        displayName: 'Ada Lovelace',
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
        requiresPasswordReset: true,
        oauthId: 'idp|ada',
        roleIds: [3, 1, 3],
        at: t1,
      })

      assert.deepEqual(ada, {
        id: 1,
        username: 'ada',
        displayName: 'Ada Lovelace',
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
        requiresPasswordReset: true,
        oauthId: 'idp|ada',
        roleIds: [1, 3],
        createdAt: t1,
        updatedAt: t1,
        deletedAt: undefined,
      })
      assert.deepEqual(users.loadUsers(), [ada])
    })

    it('stores a user with only roles, and two users without username or OAuth id', () => {
      const first = users.insertUser({ roleIds: [], at: t1 })
      const second = users.insertUser({ roleIds: [2], at: t1 })

      assert.equal(first.username, undefined)
      assert.equal(first.oauthId, undefined)
      assert.equal(first.requiresPasswordReset, false)
      assert.deepEqual(first.roleIds, [])
      assert.deepEqual(
        users.loadUsers().map((u) => [u.id, u.roleIds]),
        [
          [first.id, []],
          [second.id, [2]],
        ],
      )
    })

    it('loads users ordered by id, each with its own roles', () => {
      users.insertUser({ username: 'ada', roleIds: [1], at: t1 })
      users.insertUser({ username: 'bob', roleIds: [2, 3], at: t1 })
      users.insertUser({ username: 'cy', roleIds: [], at: t1 })

      assert.deepEqual(
        users.loadUsers().map((u) => [u.id, u.username, u.roleIds]),
        [
          [1, 'ada', [1]],
          [2, 'bob', [2, 3]],
          [3, 'cy', []],
        ],
      )
    })

    it('refuses a second live user with the same username and keeps the first', () => {
      const ada = users.insertUser({ username: 'ada', roleIds: [1], at: t1 })

      assert.throws(() => users.insertUser({ username: 'ada', roleIds: [3], at: t2 }), {
        code: 'ERR_ALREADY_EXISTS',
        detail: 'user ada already exists',
      })
      assert.deepEqual(users.loadUsers(), [ada])
    })

    it('refuses a second live user with the same OAuth id', () => {
      users.insertUser({ username: 'ada', oauthId: 'idp|1', roleIds: [], at: t1 })

      assert.throws(
        () => users.insertUser({ username: 'bob', oauthId: 'idp|1', roleIds: [], at: t2 }),
        {
          code: 'ERR_ALREADY_EXISTS',
          detail: 'a user with that OAuth id already exists',
        },
      )
      assert.equal(users.loadUsers().length, 1)
    })

    it('refuses an unknown role and stores neither the user nor any of its roles', () => {
      assert.throws(() => users.insertUser({ username: 'ada', roleIds: [1, 9], at: t1 }), {
        code: 'ERR_RESOURCE_NOT_FOUND',
        detail: 'role 9 not found',
      })
      assert.deepEqual(users.loadUsers(), [])

      const ada = users.insertUser({ username: 'ada', roleIds: [1], at: t2 })
      assert.deepEqual(ada.roleIds, [1])
    })

    it('gives a deleted username to a new user under a new id and keeps the old row', () => {
      const first = users.insertUser({ username: 'ada', oauthId: 'idp|ada', roleIds: [1], at: t1 })
      users.markUserDeleted(first.id, t2)

      const second = users.insertUser({
        username: 'ada',
        oauthId: 'idp|ada',
        roleIds: [3],
        at: t3,
      })

      assert.notEqual(second.id, first.id)
      assert.deepEqual(
        users.loadUsers().map((u) => [u.id, u.username, u.roleIds, u.deletedAt]),
        [
          [first.id, 'ada', [1], t2],
          [second.id, 'ada', [3], undefined],
        ],
      )
    })

    it('applies given changes, keeps absent fields and sets updatedAt', () => {
      const ada = users.insertUser({
        username: 'ada',
        displayName: 'Ada',
        passwordHash: 'hash-1',
        requiresPasswordReset: true,
        roleIds: [1],
        at: t1,
      })

      const renamed = users.updateUser(ada.id, { displayName: 'Ada L.' }, t2)
      assert.deepEqual(renamed, { ...ada, displayName: 'Ada L.', updatedAt: t2 })

      const reset = users.updateUser(
        ada.id,
        { passwordHash: 'hash-2', requiresPasswordReset: false },
        t3,
      )
      assert.deepEqual(reset, {
        ...ada,
        displayName: 'Ada L.',
        passwordHash: 'hash-2',
        requiresPasswordReset: false,
        updatedAt: t3,
      })
      assert.deepEqual(users.loadUsers(), [reset])
    })

    it('refuses to update an unknown or a deleted user', () => {
      assert.throws(() => users.updateUser(42, { displayName: 'x' }, t1), {
        code: 'ERR_RESOURCE_NOT_FOUND',
        detail: 'user 42 not found',
      })

      const ada = users.insertUser({ username: 'ada', displayName: 'Ada', roleIds: [], at: t1 })
      users.markUserDeleted(ada.id, t2)
      assert.throws(() => users.updateUser(ada.id, { displayName: 'x' }, t3), {
        code: 'ERR_ALREADY_DELETED',
      })
      assert.equal(users.loadUsers()[0]?.displayName, 'Ada')
    })

    it('replaces all roles of a user and sets updatedAt', () => {
      const ada = users.insertUser({ username: 'ada', roleIds: [1, 2], at: t1 })
      const bob = users.insertUser({ username: 'bob', roleIds: [2], at: t1 })

      const changed = users.setUserRoles(ada.id, [3, 2, 3], t2)
      assert.deepEqual(changed, { ...ada, roleIds: [2, 3], updatedAt: t2 })

      const emptied = users.setUserRoles(ada.id, [], t3)
      assert.deepEqual(emptied.roleIds, [])
      assert.deepEqual(
        users.loadUsers().map((u) => u.roleIds),
        [[], bob.roleIds],
      )
    })

    it('leaves roles and updatedAt unchanged when one of the new roles is unknown', () => {
      const ada = users.insertUser({ username: 'ada', roleIds: [1, 2], at: t1 })

      assert.throws(() => users.setUserRoles(ada.id, [3, 7], t2), {
        code: 'ERR_RESOURCE_NOT_FOUND',
        detail: 'role 7 not found',
      })
      assert.deepEqual(users.loadUsers(), [ada])
    })

    it('refuses to set the roles of an unknown or a deleted user', () => {
      assert.throws(() => users.setUserRoles(5, [1], t1), {
        code: 'ERR_RESOURCE_NOT_FOUND',
        detail: 'user 5 not found',
      })

      const ada = users.insertUser({ username: 'ada', roleIds: [2], at: t1 })
      users.markUserDeleted(ada.id, t2)
      assert.throws(() => users.setUserRoles(ada.id, [1], t3), { code: 'ERR_ALREADY_DELETED' })
      assert.deepEqual(users.loadUsers()[0]?.roleIds, [2])
    })

    it('marks a user deleted once, keeping its row and roles', () => {
      const ada = users.insertUser({ username: 'ada', roleIds: [1], at: t1 })

      const deleted = users.markUserDeleted(ada.id, t2)
      assert.deepEqual(deleted, { ...ada, updatedAt: t2, deletedAt: t2 })
      assert.deepEqual(users.loadUsers(), [deleted])

      assert.throws(() => users.markUserDeleted(ada.id, t3), {
        code: 'ERR_ALREADY_DELETED',
        detail: 'user 1 already deleted',
      })
      assert.deepEqual(users.loadUsers(), [deleted])
    })

    it('refuses to delete an unknown user', () => {
      assert.throws(() => users.markUserDeleted(3, t1), {
        code: 'ERR_RESOURCE_NOT_FOUND',
        detail: 'user 3 not found',
      })
    })
  })
}

describe('SQLite user store across reopens', () => {
  let dir: string
  let path: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fluxgate-user-store-'))
    path = join(dir, 'catalog.db')
  })

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  function withCatalog<T>(iso: string, work: (catalog: CatalogStore) => T): T {
    const catalog = openSqliteCatalogStore(path, frozenClock(iso))
    try {
      return work(catalog)
    } finally {
      catalog.close()
    }
  }

  it('keeps users, their roles and deletions', () => {
    const written = withCatalog(seededAt.toISOString(), (catalog) => {
      const users = catalog.users()
      const ada = users.insertUser({ username: 'ada', passwordHash: 'h', roleIds: [1], at: t1 })
      users.insertUser({ username: 'bob', oauthId: 'idp|bob', roleIds: [2, 3], at: t1 })
      users.markUserDeleted(ada.id, t2)
      return users.loadUsers()
    })

    const read = withCatalog(seededAt.toISOString(), (catalog) => catalog.users().loadUsers())

    assert.equal(read.length, 2)
    assert.deepEqual(read, written)
  })

  it('seeds the built-in roles only once', () => {
    const first = withCatalog(seededAt.toISOString(), (c) => c.users().loadRoles())

    const second = withCatalog('2027-01-01T00:00:00Z', (c) => c.users().loadRoles())

    assert.deepEqual(second, first)
  })

  it('never reuses a user id, even when the highest row is gone', () => {
    withCatalog(seededAt.toISOString(), (c) => {
      c.users().insertUser({ username: 'ada', roleIds: [], at: t1 })
      c.users().insertUser({ username: 'bob', roleIds: [], at: t1 })
    })
    // No API removes a user row; a purge written later must still leave its id retired.
    const raw = new Database(path)
    raw.prepare('DELETE FROM users WHERE id = 2').run()
    raw.close()

    const cy = withCatalog(seededAt.toISOString(), (c) =>
      c.users().insertUser({ username: 'cy', roleIds: [], at: t2 }),
    )

    assert.equal(cy.id, 3)
  })

  describe('when SQLite fails halfway through a write', () => {
    // A trigger refusing role 3 makes the last step of a write fail after earlier steps ran.
    beforeEach(() => {
      withCatalog(seededAt.toISOString(), () => undefined)
      const raw = new Database(path)
      raw.exec(`CREATE TRIGGER refuse_member BEFORE INSERT ON user_roles
        WHEN NEW.role_id = 3 BEGIN SELECT RAISE(ABORT, 'refused for the test'); END`)
      raw.close()
    })

    it('stores no user when one of its roles cannot be stored', () => {
      withCatalog(seededAt.toISOString(), (c) => {
        assert.throws(() => c.users().insertUser({ username: 'ada', roleIds: [1, 3], at: t1 }))

        assert.deepEqual(c.users().loadUsers(), [])
      })
    })

    it('keeps the old roles when a new one cannot be stored', () => {
      withCatalog(seededAt.toISOString(), (c) => {
        const ada = c.users().insertUser({ username: 'ada', roleIds: [1, 2], at: t1 })

        assert.throws(() => c.users().setUserRoles(ada.id, [2, 3], t2))

        assert.deepEqual(c.users().loadUsers(), [ada])
      })
    })
  })
})
