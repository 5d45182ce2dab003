import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { frozenClock } from '../src/shared/index.js'
import {
  createResourceToken,
  dbPermission,
  forbiddenBody,
  jsonInit,
} from './support/auth-requests.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'
import { bootstrapAdmin, callAs, goodPassword, signIn } from './support/user-auth.js'

const users = ['admin', 'auditor', 'member', 'norole'] as const
type UserName = (typeof users)[number]
const roleIds: Record<UserName, number[]> = { admin: [1], auditor: [2], member: [3], norole: [] }

/** One request per signed-in user against one route, and which roles may make it. */
interface UserRow {
  label: string
  request(user: UserName): { path: string; init?: RequestInit }
  ok: number
  allowed: UserName[]
}

const sql = (db: string, q: string) => `/api/v3/query_sql?${new URLSearchParams({ db, q })}`
const post = (body: string): RequestInit => ({ method: 'POST', body })
const dataRoles: UserName[] = ['admin', 'member']
const readers: UserName[] = ['admin', 'auditor', 'member']

// The data, system and token endpoints, walked by users of every built-in role and of none.
// The user and role endpoints are walked the same way in users-api.test.ts.
const rows: UserRow[] = [
  {
    label: 'write_lp to a',
    request: (u) => ({ path: '/api/v3/write_lp?db=a', init: post(`m,by=${u} v=2`) }),
    ok: 204,
    allowed: dataRoles,
  },
  {
    label: 'write_lp creating a database',
    request: (u) => ({ path: `/api/v3/write_lp?db=fresh_${u}`, init: post('m v=1') }),
    ok: 204,
    allowed: dataRoles,
  },
  {
    label: 'v1 write to a',
    request: (u) => ({ path: '/write?db=a', init: post(`m,by=${u} v=3`) }),
    ok: 204,
    allowed: dataRoles,
  },
  {
    label: 'SQL on a',
    request: () => ({ path: sql('a', 'SELECT count(*) FROM m') }),
    ok: 200,
    allowed: readers,
  },
  {
    label: 'SQL on _internal (audit trail)',
    request: () => ({ path: sql('_internal', 'SELECT count(*) FROM system.audit_log') }),
    ok: 200,
    allowed: ['admin', 'auditor'],
  },
  {
    label: 'create a database',
    request: (u) => ({
      path: '/api/v3/configure/database',
      init: jsonInit('POST', { db: `made_${u}` }),
    }),
    ok: 200,
    allowed: dataRoles,
  },
  {
    label: 'delete a database',
    request: (u) => ({
      path: `/api/v3/configure/database?db=gone_${u}`,
      init: { method: 'DELETE' },
    }),
    ok: 200,
    allowed: dataRoles,
  },
  {
    label: 'create a table in a',
    request: (u) => ({
      path: '/api/v3/configure/table',
      init: jsonInit('POST', { db: 'a', table: `made_${u}`, tags: ['k'] }),
    }),
    ok: 200,
    allowed: dataRoles,
  },
  { label: 'GET /health', request: () => ({ path: '/health' }), ok: 200, allowed: readers },
  { label: 'GET /metrics', request: () => ({ path: '/metrics' }), ok: 200, allowed: readers },
  {
    label: 'create a named admin token',
    request: (u) => ({
      path: '/api/v3/configure/token/named_admin',
      init: jsonInit('POST', { token_name: `named_${u}` }),
    }),
    ok: 201,
    allowed: ['admin'],
  },
  {
    label: 'create a resource token on a',
    request: (u) => ({
      path: '/api/v3/enterprise/configure/token',
      init: jsonInit('POST', {
        token_name: `resource_${u}`,
        permissions: [dbPermission(['a'], ['read'])],
      }),
    }),
    ok: 201,
    allowed: dataRoles,
  },
  {
    label: 'delete a token',
    request: (u) => ({
      path: `/api/v3/configure/token?token_name=victim_${u}`,
      init: { method: 'DELETE' },
    }),
    ok: 200,
    allowed: ['admin'],
  },
  {
    label: 'whoami',
    request: () => ({ path: '/api/v3/authorize/whoami' }),
    ok: 200,
    allowed: [...users],
  },
]

describe('authorization of signed-in users by role', () => {
  const clock = frozenClock('2026-06-01T08:00:00Z')
  const jwts: Partial<Record<UserName, string>> = {}
  let app: TestServer

  before(async () => {
    app = await startTestServer({ fresh: true, userAuthType: 'basic' }, { clock })
    const { operatorToken } = await bootstrapAdmin(app, 'admin')
    const asOperator = (path: string, init?: RequestInit) => app.fetchAs(operatorToken, path, init)
    for (const db of ['a', 'b']) {
      const res = await asOperator(`/api/v3/write_lp?db=${db}`, post('m,by=setup v=1 1'))
      assert.equal(res.status, 204)
    }
    for (const user of users) {
      assert.equal(
        (await asOperator(`/api/v3/write_lp?db=gone_${user}`, post('m v=1 1'))).status,
        204,
      )
      await createResourceToken(asOperator, `victim_${user}`, [dbPermission(['a'], ['read'])])
      if (user !== 'admin') {
        const res = await callAs(app, operatorToken, 'POST', '/api/v3/users', {
          username: user,
          password: goodPassword,
          roleIds: roleIds[user],
        })
        assert.equal(res.status, 201, await res.clone().text())
      }
      jwts[user] = (await signIn(app, user)).token
    }
  })
  after(() => app.close())

  it('AZ-1 every route answers every role as the role table says, through one authorizer', async () => {
    const problems: string[] = []
    for (const row of rows) {
      for (const user of users) {
        const { path, init } = row.request(user)
        const res = await app.fetchAs(jwts[user], path, init)
        const body = await res.text()
        const want = row.allowed.includes(user) ? row.ok : 403
        if (res.status !== want)
          problems.push(`${row.label} as ${user}: ${res.status}, want ${want}`)
        else if (want === 403 && body !== forbiddenBody) {
          problems.push(`${row.label} as ${user}: unexpected body ${body}`)
        }
      }
    }
    assert.deepEqual(problems, [])
  })

  it('AZ-3 a user without a role sees no database, and an auditor changes nothing', async () => {
    const list = await app.fetchAs(jwts.norole, '/api/v3/configure/database?format=json')
    assert.equal(list.status, 200)
    assert.deepEqual(await list.json(), [])

    const drop = await app.fetchAs(jwts.auditor, sql('a', 'DELETE FROM m'))
    assert.equal(drop.status, 400, 'the query path is read-only for everyone')
    await drop.body?.cancel()
  })
})
