import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { frozenClock } from '../src/shared/index.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'
import { bootstrapAdmin, callAs, goodPassword, login, signIn } from './support/user-auth.js'

const adminRole = 1
const auditorRole = 2
const memberRole = 3
const whoami = '/api/v3/authorize/whoami'

interface UserBody {
  userId: number
  username?: string
  displayName?: string
  requiresPasswordReset?: boolean
  roleIds: number[]
  createdAt: number
  updatedAt: number
  deletedAt?: number
}

interface SessionBody {
  sessionId: string
  createdAt: number
  expiresAt: number
  lastUsedAt: number
  clientAddress: string | null
  current: boolean
}

async function status(res: Response): Promise<number> {
  await res.body?.cancel()
  return res.status
}

async function bodyOf<T>(res: Response, expected: number): Promise<T> {
  const text = await res.text()
  assert.equal(res.status, expected, text)
  return JSON.parse(text) as T
}

/** A user signed in: their id and access token. */
interface Member {
  userId: number
  token: string
}

/** Starts an unclaimed server with password sign-in and bootstraps `ada` as its first admin. */
async function startWithAdmin(clock: ReturnType<typeof frozenClock>) {
  const app = await startTestServer({ fresh: true, userAuthType: 'basic' }, { clock })
  const { operatorToken, userId } = await bootstrapAdmin(app, 'ada')
  const ada: Member = { userId, token: (await signIn(app, 'ada')).token }
  return { app, operatorToken, ada }
}

/** Creates a user as `admin` and signs them in. */
async function addUser(
  app: TestServer,
  admin: Member,
  username: string,
  roleIds: number[],
): Promise<Member> {
  const res = await callAs(app, admin.token, 'POST', '/api/v3/users', {
    username,
    password: goodPassword,
    roleIds,
  })
  const user = await bodyOf<UserBody>(res, 201)
  return { userId: user.userId, token: (await signIn(app, username)).token }
}

describe('user and role API by role', () => {
  const clock = frozenClock('2026-03-01T10:00:00Z')
  let app: TestServer
  let ada: Member
  let auditor: Member
  let member: Member
  let loner: Member

  before(async () => {
    ;({ app, ada } = await startWithAdmin(clock))
    auditor = await addUser(app, ada, 'audrey', [auditorRole])
    member = await addUser(app, ada, 'mel', [memberRole])
    loner = await addUser(app, ada, 'lone', [])
  })
  after(() => app.close())

  const as = (who: Member | undefined, method: string, path: string, body?: unknown) =>
    callAs(app, who?.token, method, path, body)

  it('answers 401 to a request without a credential on every endpoint', async () => {
    const id = ada.userId
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/api/v3/users'],
      ['POST', '/api/v3/users', { username: 'nobody', password: goodPassword }],
      ['GET', `/api/v3/users/${id}`],
      ['PATCH', `/api/v3/users/${id}`, { displayName: 'X' }],
      ['DELETE', `/api/v3/users/${id}`],
      ['POST', `/api/v3/users/${id}/require-password-reset`],
      ['GET', `/api/v3/users/${id}/roles`],
      ['PUT', `/api/v3/users/${id}/roles`, { roleIds: [memberRole] }],
      ['GET', `/api/v3/users/${id}/sessions`],
      ['DELETE', `/api/v3/users/${id}/sessions/abc`],
      ['GET', '/api/v3/users_by_oauth_id/sub-1'],
      ['GET', '/api/v3/roles'],
      ['GET', '/api/v3/roles/1/permissions'],
      ['GET', '/api/v3/roles_by_name/Admin'],
    ]
    for (const [method, path, body] of calls) {
      assert.equal(await status(await as(undefined, method, path, body)), 401, `${method} ${path}`)
    }
  })

  it('lets an admin read and manage users, roles and sessions', async () => {
    const list = await bodyOf<{ items: UserBody[] }>(await as(ada, 'GET', '/api/v3/users'), 200)
    assert.deepEqual(
      list.items.map((user) => user.username),
      ['ada', 'audrey', 'mel', 'lone'],
    )
    const created = await bodyOf<UserBody>(
      await as(ada, 'POST', '/api/v3/users', {
        username: 'newt',
        password: goodPassword,
        displayName: 'Newt',
        roleIds: [memberRole],
      }),
      201,
    )
    const at = Date.parse('2026-03-01T10:00:00Z') / 1000
    assert.deepEqual(created, {
      userId: created.userId,
      username: 'newt',
      displayName: 'Newt',
      requiresPasswordReset: false,
      roleIds: [memberRole],
      createdAt: at,
      updatedAt: at,
    })

    const path = `/api/v3/users/${created.userId}`
    assert.equal((await bodyOf<UserBody>(await as(ada, 'GET', path), 200)).username, 'newt')
    const renamed = await as(ada, 'PATCH', path, { displayName: 'Newton' })
    assert.equal((await bodyOf<UserBody>(renamed, 200)).displayName, 'Newton')

    const roles = await as(ada, 'PUT', `${path}/roles`, { roleIds: [auditorRole, memberRole] })
    const names = (await bodyOf<{ items: Array<{ name: string }> }>(roles, 200)).items
    assert.deepEqual(
      names.map((role) => role.name),
      ['Auditor', 'Member'],
    )
    const read = await bodyOf<{ items: Array<{ id: number }> }>(
      await as(ada, 'GET', `${path}/roles`),
      200,
    )
    assert.deepEqual(
      read.items.map((role) => role.id),
      [auditorRole, memberRole],
    )

    assert.equal(await status(await as(ada, 'GET', '/api/v3/users_by_oauth_id/sub-1')), 404)
    const deleted = await bodyOf<UserBody>(await as(ada, 'DELETE', path), 200)
    assert.equal(deleted.deletedAt, at)
  })

  it('lists the roles, their permissions and each role by name', async () => {
    const roles = await bodyOf<{ items: Array<{ id: number; name: string }> }>(
      await as(ada, 'GET', '/api/v3/roles'),
      200,
    )
    assert.deepEqual(
      roles.items.map((role) => [role.id, role.name]),
      [
        [adminRole, 'Admin'],
        [auditorRole, 'Auditor'],
        [memberRole, 'Member'],
      ],
    )

    const byName = await bodyOf<{ id: number; isRequiredRole: boolean }>(
      await as(ada, 'GET', '/api/v3/roles_by_name/Admin'),
      200,
    )
    assert.deepEqual([byName.id, byName.isRequiredRole], [adminRole, true])

    const permissions = await bodyOf<{ permissions: Array<{ resourceType: string }> }>(
      await as(ada, 'GET', `/api/v3/roles/${auditorRole}/permissions`),
      200,
    )
    const user = permissions.permissions.find((p) => p.resourceType === 'user')
    assert.deepEqual(user, { resourceType: 'user', actions: ['read'] })
  })

  it('lets Auditor and Member read users and roles, but change nothing', async () => {
    for (const reader of [auditor, member]) {
      const other = `/api/v3/users/${ada.userId}`
      for (const path of [
        '/api/v3/users',
        other,
        `${other}/roles`,
        `${other}/sessions`,
        '/api/v3/roles',
        '/api/v3/roles/1/permissions',
        '/api/v3/roles_by_name/Member',
      ]) {
        assert.equal(await status(await as(reader, 'GET', path)), 200, path)
      }

      const user = { username: 'sneaky', password: goodPassword }
      assert.equal(await status(await as(reader, 'POST', '/api/v3/users', user)), 403)
      assert.equal(await status(await as(reader, 'PATCH', other, { displayName: 'X' })), 403)
      assert.equal(await status(await as(reader, 'DELETE', other)), 403)
      const reset = `${other}/require-password-reset`
      assert.equal(await status(await as(reader, 'POST', reset)), 403)
      const roles = { roleIds: [memberRole] }
      assert.equal(await status(await as(reader, 'PUT', `${other}/roles`, roles)), 403)
      assert.equal(await status(await as(reader, 'DELETE', `${other}/sessions/abc`)), 403)
    }
  })

  it('refuses a Member who grants themselves Admin or creates a user with roles', async () => {
    const own = `/api/v3/users/${member.userId}/roles`
    assert.equal(await status(await as(member, 'PUT', own, { roleIds: [adminRole] })), 403)
    const withRoles = { username: 'mel2', password: goodPassword, roleIds: [adminRole] }
    assert.equal(await status(await as(member, 'POST', '/api/v3/users', withRoles)), 403)

    const roles = await bodyOf<{ items: Array<{ id: number }> }>(await as(member, 'GET', own), 200)
    assert.deepEqual(
      roles.items.map((role) => role.id),
      [memberRole],
    )
    assert.equal(await status(await login(app, 'mel2', goodPassword)), 401)
  })

  it('lets a user with no role reach only their own account and sessions', async () => {
    const own = `/api/v3/users/${loner.userId}`
    const other = `/api/v3/users/${ada.userId}`
    for (const path of [own, `${own}/roles`, `${own}/sessions`]) {
      assert.equal(await status(await as(loner, 'GET', path)), 200, path)
    }
    const renamed = await as(loner, 'PATCH', own, { displayName: 'Lonely' })
    assert.equal((await bodyOf<UserBody>(renamed, 200)).displayName, 'Lonely')

    for (const path of [
      '/api/v3/users',
      other,
      `${other}/roles`,
      `${other}/sessions`,
      '/api/v3/users_by_oauth_id/sub-1',
      '/api/v3/roles',
      '/api/v3/roles/3/permissions',
      '/api/v3/roles_by_name/Member',
    ]) {
      assert.equal(await status(await as(loner, 'GET', path)), 403, path)
    }
    assert.equal(await status(await as(loner, 'PATCH', other, { displayName: 'X' })), 403)
    assert.equal(await status(await as(loner, 'DELETE', own)), 403)
    assert.equal(await status(await as(loner, 'POST', `${own}/require-password-reset`)), 403)
    const roles = { roleIds: [memberRole] }
    assert.equal(await status(await as(loner, 'PUT', `${own}/roles`, roles)), 403)
  })

  it('lists the live sessions of a user; the user or an admin ends one', async () => {
    const second = (await signIn(app, 'lone')).token
    const path = `/api/v3/users/${loner.userId}/sessions`
    const sessions = await bodyOf<{ items: SessionBody[] }>(await as(loner, 'GET', path), 200)
    assert.equal(sessions.items.length, 2)
    assert.deepEqual(sessions.items.map((session) => session.current).sort(), [false, true])
    const mine = sessions.items.find((session) => session.current)
    const other = sessions.items.find((session) => !session.current)
    assert.ok(mine !== undefined && other !== undefined)
    assert.equal(mine.expiresAt - mine.createdAt, 7 * 24 * 3600)

    assert.equal(await status(await as(loner, 'DELETE', `${path}/${other.sessionId}`)), 204)
    assert.equal(await status(await callAs(app, second, 'GET', whoami)), 401)
    assert.equal(await status(await as(loner, 'DELETE', `${path}/${other.sessionId}`)), 404)
    assert.equal(await status(await as(loner, 'DELETE', `${path}/no-such-session`)), 404)
    const adasSession = `/api/v3/users/${ada.userId}/sessions/${mine.sessionId}`
    assert.equal(await status(await as(ada, 'DELETE', adasSession)), 404)
    assert.equal(await status(await as(loner, 'GET', whoami)), 200)

    assert.equal(await status(await as(ada, 'DELETE', `${path}/${mine.sessionId}`)), 204)
    assert.equal(await status(await as(loner, 'GET', whoami)), 401)
  })
})

describe('user lifecycle', () => {
  const clock = frozenClock('2026-03-01T10:00:00Z')
  let app: TestServer
  let operatorToken: string
  let ada: Member

  before(async () => {
    ;({ app, operatorToken, ada } = await startWithAdmin(clock))
  })
  after(() => app.close())

  const as = (who: Member, method: string, path: string, body?: unknown) =>
    callAs(app, who.token, method, path, body)

  /** A resource token reading `metrics`, created by `who` while signed in. */
  const resourceTokenOf = async (who: Member) => {
    const init = { method: 'POST', body: 'm v=1' }
    const write = await app.fetchAs(operatorToken, '/api/v3/write_lp?db=metrics', init)
    assert.equal(await status(write), 204)
    const permission = { resource_type: 'db', resource_names: ['metrics'], actions: ['read'] }
    const res = await as(who, 'POST', '/api/v3/enterprise/configure/token', {
      token_name: `by-${who.userId}`,
      permissions: [permission],
    })
    return (await bodyOf<{ token: string }>(res, 201)).token
  }

  it('keeps the last admin until a second admin exists', async () => {
    const self = `/api/v3/users/${ada.userId}`
    const demote = { roleIds: [memberRole] }
    assert.equal(await status(await as(ada, 'DELETE', self)), 409)
    assert.equal(await status(await as(ada, 'PUT', `${self}/roles`, demote)), 409)

    const bea = await addUser(app, ada, 'bea', [adminRole])
    assert.equal(await status(await as(bea, 'PUT', `${self}/roles`, demote)), 200)
    assert.equal(await status(await as(ada, 'GET', '/api/v3/users')), 200)
    assert.equal(await status(await as(ada, 'POST', `${self}/require-password-reset`)), 403)
    const promote = { roleIds: [adminRole] }
    assert.equal(await status(await as(bea, 'PUT', `${self}/roles`, promote)), 200)

    assert.equal(await status(await as(ada, 'DELETE', `/api/v3/users/${bea.userId}`)), 200)
    assert.equal(await status(await as(ada, 'DELETE', self)), 409)
  })

  it('ends the access of a deleted user at once and frees the username', async () => {
    const cy = await addUser(app, ada, 'cy', [memberRole])
    const apiToken = await resourceTokenOf(cy)
    const query = `/api/v3/query_sql?${new URLSearchParams({ db: 'metrics', q: 'SELECT 1' })}`
    assert.equal(await status(await callAs(app, apiToken, 'GET', query)), 200)
    assert.equal(await status(await as(cy, 'GET', whoami)), 200)
    clock.advance({ seconds: 30 })

    const path = `/api/v3/users/${cy.userId}`
    const deleted = await bodyOf<UserBody>(await as(ada, 'DELETE', path), 200)
    assert.equal(deleted.deletedAt, Date.parse('2026-03-01T10:00:30Z') / 1000)
    assert.equal(await status(await as(cy, 'GET', whoami)), 401)
    assert.equal(await status(await callAs(app, apiToken, 'GET', query)), 401)
    assert.equal(await status(await login(app, 'cy', goodPassword)), 401)
    assert.equal(await status(await as(ada, 'GET', path)), 404)
    assert.equal(await status(await as(ada, 'DELETE', path)), 404)

    const again = await addUser(app, ada, 'cy', [])
    assert.notEqual(again.userId, cy.userId)
  })

  it('requires a password reset: sign-in answers 403 and sessions end', async () => {
    const dee = await addUser(app, ada, 'dee', [memberRole])
    const path = `/api/v3/users/${dee.userId}/require-password-reset`

    const flagged = await bodyOf<UserBody>(await as(ada, 'POST', path), 200)
    assert.equal(flagged.requiresPasswordReset, true)
    assert.equal(await status(await as(dee, 'GET', whoami)), 401)
    assert.equal(await status(await login(app, 'dee', goodPassword)), 403)
  })

  it('refuses duplicates, weak passwords and unknown ids', async () => {
    const create = (body: object) => as(ada, 'POST', '/api/v3/users', body)
    assert.equal(await status(await create({ username: 'ada', password: goodPassword })), 409)
    assert.equal(await status(await create({ username: 'weak', password: 'short' })), 400)
    const unknownRole = { username: 'eve', password: goodPassword, roleIds: [99] }
    assert.equal(await status(await create(unknownRole)), 404)
    assert.equal(await status(await create({ username: 'eve' })), 400)

    const roles = `/api/v3/users/${ada.userId}/roles`
    assert.equal(await status(await as(ada, 'PUT', roles, { roleIds: [adminRole, 42] })), 404)
    for (const [method, path] of [
      ['GET', '/api/v3/users/999'],
      ['GET', '/api/v3/users/abc'],
      ['PATCH', '/api/v3/users/999'],
      ['DELETE', '/api/v3/users/999'],
      ['POST', '/api/v3/users/999/require-password-reset'],
      ['GET', '/api/v3/users/999/roles'],
      ['PUT', '/api/v3/users/999/roles'],
      ['GET', '/api/v3/users/999/sessions'],
      ['GET', '/api/v3/roles/99/permissions'],
      ['GET', '/api/v3/roles/abc/permissions'],
      ['GET', '/api/v3/roles_by_name/Nobody'],
      ['GET', '/api/v3/users_by_oauth_id/nobody'],
    ] as const) {
      const body = method === 'PUT' ? { roleIds: [] } : { displayName: 'X' }
      const res = await as(ada, method, path, method === 'GET' ? undefined : body)
      assert.equal(await status(res), 404, `${method} ${path}`)
    }
  })

  it('records every change in the audit trail without a secret', async () => {
    const res = await callAs(
      app,
      operatorToken,
      'GET',
      `/api/v3/query_sql?${new URLSearchParams({
        db: '_internal',
        q: "SELECT action, actor_id, target, detail FROM system.audit_log WHERE outcome = 'success'",
        format: 'json',
      })}`,
    )
    const text = await res.text()
    assert.equal(res.status, 200, text)
    const actions = new Set(
      (JSON.parse(text) as Array<{ action: string }>).map((entry) => entry.action),
    )
    for (const action of [
      'user_create',
      'user_delete',
      'user_roles_set',
      'password_reset_required',
    ]) {
      assert.ok(actions.has(action), action)
    }
    assert.ok(!text.includes(goodPassword))
    assert.ok(!text.includes(ada.token))
  })
})
