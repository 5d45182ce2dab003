import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { allRoutes } from '../src/http/index.js'
import { frozenClock } from '../src/shared/index.js'
import {
  createNamedAdmin,
  createResourceToken,
  dbPermission,
  forbiddenBody,
  jsonInit,
  unauthenticatedBody,
  withOperator,
} from './support/auth-requests.js'
import type { PermissionBody, TokenObject } from './support/auth-requests.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

const principals = [
  'none',
  'operator',
  'namedAdmin',
  'readA',
  'writeA',
  'rwB',
  'readAll',
  'system',
  'expired',
] as const
type PrincipalName = (typeof principals)[number]

const admins: PrincipalName[] = ['operator', 'namedAdmin']
const authenticated = principals.filter((p) => p !== 'none' && p !== 'expired')

/** One request per principal against one route, and who may do it. */
interface MatrixRow {
  /** `METHOD /path` of the route exercised. */
  route: string
  label: string
  request(principal: PrincipalName): { path: string; init?: RequestInit }
  /** The answer of an allowed principal. */
  ok: number
  allowed: PrincipalName[]
  /** Set for a route that answers everyone the same, credential or not. */
  everyone?: number
  /** `v1-query`: v1 `/query` answers a refusal with the opaque 401 (compat §3.4, AZ-5). */
  style?: 'v2' | 'v1-query'
}

const sql = (db: string, q: string) => `/api/v3/query_sql?${new URLSearchParams({ db, q })}`
const influxql = (db: string, q: string) =>
  `/api/v3/query_influxql?${new URLSearchParams({ db, q })}`
const v1Query = (db: string, q: string) => `/query?${new URLSearchParams({ db, q })}`
const v1Refusal = '{"error":"unauthorized access"}'
const post = (body: string): RequestInit => ({ method: 'POST', body })
const readA = dbPermission(['a'], ['read'])

const rows: MatrixRow[] = [
  {
    route: 'POST /api/v3/write_lp',
    label: 'write_lp to a',
    request: (p) => ({ path: '/api/v3/write_lp?db=a', init: post(`m,by=${p} v=2`) }),
    ok: 204,
    allowed: [...admins, 'writeA'],
  },
  {
    route: 'POST /api/v3/write_lp',
    label: 'write_lp to b',
    request: (p) => ({ path: '/api/v3/write_lp?db=b', init: post(`m,by=${p} v=2`) }),
    ok: 204,
    allowed: [...admins, 'rwB'],
  },
  {
    route: 'POST /api/v3/write_lp',
    label: 'write_lp creating a database',
    request: (p) => ({ path: `/api/v3/write_lp?db=fresh_${p}`, init: post('m v=1') }),
    ok: 204,
    allowed: admins,
  },
  {
    route: 'POST /write',
    label: 'v1 write to a',
    request: (p) => ({ path: '/write?db=a', init: post(`m,by=${p} v=3`) }),
    ok: 204,
    allowed: [...admins, 'writeA'],
  },
  {
    route: 'POST /api/v2/write',
    label: 'v2 write to a',
    request: (p) => ({ path: '/api/v2/write?bucket=a', init: post(`m,by=${p} v=4`) }),
    ok: 204,
    allowed: [...admins, 'writeA'],
    style: 'v2',
  },
  {
    route: 'GET /api/v3/query_sql',
    label: 'SQL on a (GET)',
    request: () => ({ path: sql('a', 'SELECT count(*) FROM m') }),
    ok: 200,
    allowed: [...admins, 'readA', 'readAll'],
  },
  {
    route: 'POST /api/v3/query_sql',
    label: 'SQL on a (POST)',
    request: () => ({
      path: '/api/v3/query_sql',
      init: jsonInit('POST', { db: 'a', q: 'SELECT 1' }),
    }),
    ok: 200,
    allowed: [...admins, 'readA', 'readAll'],
  },
  {
    route: 'GET /api/v3/query_sql',
    label: 'SQL on b',
    request: () => ({ path: sql('b', 'SELECT count(*) FROM m') }),
    ok: 200,
    allowed: [...admins, 'rwB', 'readAll'],
  },
  {
    route: 'GET /api/v3/query_sql',
    label: 'SQL on _internal',
    request: () => ({ path: sql('_internal', 'SELECT 1') }),
    ok: 200,
    allowed: admins,
  },
  {
    route: 'GET /api/v3/query_influxql',
    label: 'InfluxQL on a (GET)',
    request: () => ({ path: influxql('a', 'SELECT count(v) FROM m') }),
    ok: 200,
    allowed: [...admins, 'readA', 'readAll'],
  },
  {
    route: 'POST /api/v3/query_influxql',
    label: 'InfluxQL on b named in the query (POST)',
    request: () => ({
      path: '/api/v3/query_influxql',
      init: jsonInit('POST', { q: 'SELECT count(v) FROM b..m' }),
    }),
    ok: 200,
    allowed: [...admins, 'rwB', 'readAll'],
  },
  {
    route: 'GET /query',
    label: 'v1 query on a (GET)',
    request: () => ({ path: v1Query('a', 'SELECT count(v) FROM m') }),
    ok: 200,
    allowed: [...admins, 'readA', 'readAll'],
    style: 'v1-query',
  },
  {
    route: 'POST /query',
    label: 'v1 query on b named in the query (POST form)',
    request: () => ({
      path: '/query',
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ db: 'a', q: 'SELECT count(v) FROM b..m' }).toString(),
      },
    }),
    ok: 200,
    allowed: [...admins, 'rwB', 'readAll'],
    style: 'v1-query',
  },
  {
    route: 'GET /api/v3/configure/database',
    label: 'list databases',
    request: () => ({ path: '/api/v3/configure/database?format=json' }),
    ok: 200,
    allowed: authenticated,
  },
  {
    route: 'POST /api/v3/configure/database',
    label: 'create a database',
    request: (p) => ({
      path: '/api/v3/configure/database',
      init: jsonInit('POST', { db: `made_${p}` }),
    }),
    ok: 200,
    allowed: admins,
  },
  {
    route: 'PUT /api/v3/configure/database',
    label: 'update database a',
    request: () => ({
      path: '/api/v3/configure/database',
      init: jsonInit('PUT', { db: 'a', retention_period: null }),
    }),
    ok: 200,
    allowed: admins,
  },
  {
    route: 'DELETE /api/v3/configure/database',
    label: 'delete a database',
    request: (p) => ({
      path: `/api/v3/configure/database?db=gone_${p}`,
      init: { method: 'DELETE' },
    }),
    ok: 200,
    allowed: admins,
  },
  {
    route: 'POST /api/v3/configure/table',
    label: 'create a table in a',
    request: (p) => ({
      path: '/api/v3/configure/table',
      init: jsonInit('POST', { db: 'a', table: `made_${p}`, tags: ['k'] }),
    }),
    ok: 200,
    allowed: admins,
  },
  {
    route: 'DELETE /api/v3/configure/table',
    label: 'delete a table of a',
    request: (p) => ({
      path: `/api/v3/configure/table?db=a&table=drop_${p}`,
      init: { method: 'DELETE' },
    }),
    ok: 200,
    allowed: admins,
  },
  ...(
    [
      ['GET', '/health'],
      ['GET', '/api/v1/health'],
      ['GET', '/ping'],
      ['POST', '/ping'],
      ['GET', '/metrics'],
    ] as const
  ).map(([method, path]): MatrixRow => ({
    route: `${method} ${path}`,
    label: `${method} ${path}`,
    request: () => ({ path, init: { method } }),
    ok: 200,
    allowed: [...admins, 'system'],
  })),
  {
    route: 'POST /api/v3/configure/token/admin',
    label: 'create the operator token again',
    request: () => ({ path: '/api/v3/configure/token/admin', init: { method: 'POST' } }),
    ok: 409,
    allowed: [],
    everyone: 409,
  },
  {
    route: 'POST /api/v3/configure/token/named_admin',
    label: 'create a named admin token',
    request: (p) => ({
      path: '/api/v3/configure/token/named_admin',
      init: jsonInit('POST', { token_name: `named_${p}` }),
    }),
    ok: 201,
    allowed: admins,
  },
  {
    route: 'POST /api/v3/enterprise/configure/token',
    label: 'create a resource token',
    request: (p) => ({
      path: '/api/v3/enterprise/configure/token',
      init: jsonInit('POST', { token_name: `resource_${p}`, permissions: [readA] }),
    }),
    ok: 201,
    allowed: admins,
  },
  {
    route: 'DELETE /api/v3/configure/token',
    label: 'delete a token',
    request: (p) => ({
      path: `/api/v3/configure/token?token_name=victim_${p}`,
      init: { method: 'DELETE' },
    }),
    ok: 200,
    allowed: admins,
  },
  {
    route: 'POST /api/v3/configure/token/admin/regenerate',
    label: 'regenerate the operator token',
    request: () => ({ path: '/api/v3/configure/token/admin/regenerate', init: { method: 'POST' } }),
    ok: 201,
    allowed: admins,
  },
]

// This server runs without user sign-in: its endpoints answer 503 to whoever reaches them.
const withoutUserAuth = (route: string, path: string, body?: unknown): MatrixRow => {
  const [method = 'POST'] = route.split(' ')
  return {
    route,
    label: `${route} without user sign-in`,
    request: () => ({ path, init: body === undefined ? { method } : jsonInit(method, body) }),
    ok: 503,
    allowed: authenticated,
  }
}

rows.push(
  {
    route: 'POST /api/v3/configure/user',
    label: 'create the first admin once the operator token exists',
    request: () => ({
      path: '/api/v3/configure/user',
      init: jsonInit('POST', { username: 'late', password: 'a long enough passphrase' }),
    }),
    ok: 409,
    allowed: [],
    everyone: 409,
  },
  {
    ...withoutUserAuth('POST /api/v3/authorize', '/api/v3/authorize', {
      username: 'u',
      password: 'p',
    }),
    everyone: 503,
  },
  {
    ...withoutUserAuth('POST /api/v3/authorize/refresh', '/api/v3/authorize/refresh', {
      refreshToken: 'fgrt_x',
    }),
    everyone: 503,
  },
  {
    ...withoutUserAuth(
      'POST /api/v3/authorize/reset-password',
      '/api/v3/authorize/reset-password',
      {
        username: 'u',
        currentPassword: 'p',
        newPassword: 'q',
      },
    ),
    everyone: 503,
  },
  withoutUserAuth('POST /api/v3/authorize/logout', '/api/v3/authorize/logout'),
  withoutUserAuth('GET /api/v3/authorize/whoami', '/api/v3/authorize/whoami'),
  withoutUserAuth('GET /api/v3/users', '/api/v3/users'),
  withoutUserAuth('POST /api/v3/users', '/api/v3/users', {
    username: 'u',
    password: 'a long enough passphrase',
  }),
  withoutUserAuth('GET /api/v3/users/{id}', '/api/v3/users/1'),
  withoutUserAuth('PATCH /api/v3/users/{id}', '/api/v3/users/1', { displayName: 'U' }),
  withoutUserAuth('DELETE /api/v3/users/{id}', '/api/v3/users/1'),
  withoutUserAuth(
    'POST /api/v3/users/{id}/require-password-reset',
    '/api/v3/users/1/require-password-reset',
  ),
  withoutUserAuth('GET /api/v3/users/{id}/roles', '/api/v3/users/1/roles'),
  withoutUserAuth('PUT /api/v3/users/{id}/roles', '/api/v3/users/1/roles', { roleIds: [1] }),
  withoutUserAuth('GET /api/v3/users/{id}/sessions', '/api/v3/users/1/sessions'),
  withoutUserAuth('DELETE /api/v3/users/{id}/sessions/{sessionId}', '/api/v3/users/1/sessions/abc'),
  withoutUserAuth('GET /api/v3/users_by_oauth_id/{oauthId}', '/api/v3/users_by_oauth_id/sub-1'),
  withoutUserAuth('GET /api/v3/roles', '/api/v3/roles'),
  withoutUserAuth('GET /api/v3/roles/{id}/permissions', '/api/v3/roles/1/permissions'),
  withoutUserAuth('GET /api/v3/roles_by_name/{name}', '/api/v3/roles_by_name/Admin'),
  {
    route: 'GET /.well-known/jwks.json',
    label: 'the signing keys',
    request: () => ({ path: '/.well-known/jwks.json' }),
    ok: 200,
    allowed: [],
    everyone: 200,
  },
  {
    route: 'GET /api/v3/auth/oauth/config',
    label: 'the OAuth config, with OAuth off',
    request: () => ({ path: '/api/v3/auth/oauth/config' }),
    ok: 404,
    allowed: [],
    everyone: 404,
  },
  {
    route: 'GET /auth/login',
    label: 'browser sign-in, with OAuth off',
    request: () => ({ path: '/auth/login' }),
    ok: 404,
    allowed: [],
    everyone: 404,
  },
  {
    route: 'GET /auth/callback',
    label: 'the browser sign-in callback, with OAuth off',
    request: () => ({ path: '/auth/callback?code=c&state=s' }),
    ok: 404,
    allowed: [],
    everyone: 404,
  },
)

function expectedStatus(row: MatrixRow, principal: PrincipalName): number {
  if (row.everyone !== undefined) return row.everyone
  if (principal === 'none' || principal === 'expired') return 401
  if (row.allowed.includes(principal)) return row.ok
  return row.style === 'v1-query' ? 401 : 403
}

/** What is wrong with a refusal's body, if anything. */
function refusalProblem(row: MatrixRow, status: number, body: string): string | undefined {
  if (status === 403 && row.style === 'v2') {
    const parsed = JSON.parse(body) as { code?: unknown; message?: unknown }
    return parsed.code === 'forbidden' && typeof parsed.message === 'string' ? undefined : body
  }
  if (status === 403) return body === forbiddenBody ? undefined : body
  if (status === 401 && row.style === 'v1-query') {
    return body === unauthenticatedBody || body === v1Refusal ? undefined : body
  }
  if (status === 401 && row.style !== 'v2') return body === unauthenticatedBody ? undefined : body
  return undefined
}

const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`

describe('authorization of every route', () => {
  const clock = frozenClock('2026-03-01T10:00:00Z')
  const tokens: Partial<Record<PrincipalName, string>> = {}
  let app: TestServer

  const as = (principal: PrincipalName, path: string, init?: RequestInit) =>
    app.fetchAs(tokens[principal], path, init)
  const grant = async (name: string, permissions: PermissionBody[]) =>
    (await createResourceToken((path, init) => as('operator', path, init), name, permissions)).token

  before(async () => {
    app = await startTestServer({}, { clock })
    for (const db of ['a', 'b', 'c'])
      assert.equal((await app.write(db, 'm,by=setup v=1 1')).status, 204)
    for (const p of principals) {
      assert.equal((await app.write('a', `drop_${p} v=1 1`)).status, 204)
      assert.equal((await app.write(`gone_${p}`, 'm v=1 1')).status, 204)
      await createResourceToken(withOperator(app), `victim_${p}`, [readA])
    }

    tokens.operator = app.operatorToken
    tokens.namedAdmin = (await createNamedAdmin(withOperator(app), 'named-admin')).token
    tokens.readA = await grant('read-a', [readA])
    tokens.writeA = await grant('write-a', [dbPermission(['a'], ['write'])])
    tokens.rwB = await grant('rw-b', [dbPermission(['b'], ['read', 'write'])])
    tokens.readAll = await grant('read-all', [dbPermission(['*'], ['read'])])
    tokens.system = await grant('system', [
      { resource_type: 'system', resource_names: ['*'], actions: ['read'] },
    ])
    tokens.expired = (await createNamedAdmin(withOperator(app), 'expired-admin', 1)).token
    clock.advance({ seconds: 1 })
  })
  after(() => app.close())

  it('AZ-2 every route declares its access; only bootstrap, sign-in, JWKS and OAuth config are public', () => {
    for (const route of allRoutes) {
      assert.ok(
        ['public', 'system', 'admin', 'scoped'].includes(route.access.kind),
        routeKey(route),
      )
    }
    const open = allRoutes.filter((route) => route.access.kind === 'public').map(routeKey)
    assert.deepEqual(
      open.sort(),
      [
        'GET /.well-known/jwks.json',
        'GET /api/v3/auth/oauth/config',
        'POST /api/v3/authorize',
        'POST /api/v3/authorize/refresh',
        'POST /api/v3/authorize/reset-password',
        'POST /api/v3/configure/token/admin',
        'POST /api/v3/configure/user',
        'GET /auth/callback',
        'GET /auth/login',
      ].sort(),
    )
  })

  it('AZ-2 the table below covers every route; a new route must be added to it', () => {
    const covered = new Set(rows.map((row) => row.route))
    const known = new Set(allRoutes.map(routeKey))
    assert.deepEqual(
      allRoutes.map(routeKey).filter((key) => !covered.has(key)),
      [],
    )
    assert.deepEqual(
      [...covered].filter((key) => !known.has(key)),
      [],
    )
  })

  it('AZ-1 a database listing shows only what the token may describe', async () => {
    const describeA = await grant('describe-a', [dbPermission(['a'], ['describe'])])
    const describeAll = await grant('describe-all', [dbPermission(['*'], ['describe'])])
    const listAs = async (token: string | undefined) => {
      const res = await app.fetchAs(token, '/api/v3/configure/database?format=json')
      assert.equal(res.status, 200)
      const rows = (await res.json()) as Array<{ 'iox::database': string }>
      return rows.map((row) => row['iox::database'])
    }

    const everything = await listAs(tokens.operator)
    for (const db of ['_internal', 'a', 'b', 'c']) assert.ok(everything.includes(db), db)
    assert.deepEqual(await listAs(tokens.namedAdmin), everything)
    assert.deepEqual(await listAs(describeA), ['a'])
    assert.deepEqual(
      await listAs(describeAll),
      everything.filter((db) => db !== '_internal'),
    )
    for (const p of ['readA', 'writeA', 'rwB', 'readAll', 'system'] as const) {
      assert.deepEqual(await listAs(tokens[p]), [], p)
    }
  })

  it('AZ-1 every route answers every kind of principal as compat §5.3 requires', async () => {
    const problems: string[] = []
    for (const row of rows) {
      for (const principal of principals) {
        const { path, init } = row.request(principal)
        const res = await as(principal, path, init)
        const body = await res.text()
        const want = expectedStatus(row, principal)
        const wrongBody = refusalProblem(row, res.status, body)
        if (res.status !== want) {
          problems.push(`${row.label} as ${principal}: ${res.status}, want ${want}: ${body}`)
        } else if (wrongBody !== undefined) {
          problems.push(`${row.label} as ${principal}: unexpected body ${wrongBody}`)
        }
        if (row.route.endsWith('/regenerate') && res.status === 201) {
          tokens.operator = (JSON.parse(body) as TokenObject).token
        }
      }
    }
    assert.deepEqual(problems, [])
  })

  it('AZ-1 a system permission on one endpoint covers that endpoint only', async () => {
    const health = await grant('health-only', [
      { resource_type: 'system', resource_names: ['health'], actions: ['read'] },
    ])
    const status = async (path: string, init?: RequestInit) => {
      const res = await app.fetchAs(health, path, init)
      await res.body?.cancel()
      return res.status
    }
    assert.equal(await status('/health'), 200)
    assert.equal(await status('/api/v1/health'), 200)
    assert.equal(await status('/ping'), 403)
    assert.equal(await status('/metrics'), 403)
    assert.equal(await status(sql('a', 'SELECT 1')), 403)
  })

  it('AZ-1 a new database needs create on every database; deleting needs delete', async () => {
    assert.equal((await as('operator', '/api/v3/write_lp?db=doomed', post('m v=1 1'))).status, 204)
    const createAll = await grant('create-all', [dbPermission(['*'], ['create'])])
    const createA = await grant('create-a', [
      dbPermission(['a'], ['create', 'read', 'write', 'describe']),
    ])
    const deleteDoomed = await grant('delete-doomed', [dbPermission(['doomed'], ['delete'])])
    const status = async (token: string, path: string, init: RequestInit) => {
      const res = await app.fetchAs(token, path, init)
      await res.body?.cancel()
      return res.status
    }
    const createDb = (db: string) => jsonInit('POST', { db })
    const databases = '/api/v3/configure/database'

    assert.equal(await status(createAll, databases, createDb('by_create_all')), 200)
    assert.equal(await status(createA, databases, createDb('by_create_a')), 403)
    const table = jsonInit('POST', { db: 'a', table: 'by_create_a', tags: ['k'] })
    assert.equal(await status(createA, '/api/v3/configure/table', table), 200)

    const drop = { method: 'DELETE' }
    assert.equal(await status(createA, `${databases}?db=doomed`, drop), 403)
    assert.equal(await status(deleteDoomed, `${databases}?db=a`, drop), 403)
    assert.equal(await status(deleteDoomed, `${databases}?db=doomed`, drop), 200)
  })

  it('AZ-9 a read-only token cannot change data through the query path', async () => {
    const snapshot = async () => {
      const rows = await as('operator', sql('a', 'SELECT by, v FROM m ORDER BY by, v'))
      const tables = await as('operator', sql('a', 'SHOW TABLES'))
      return [await rows.text(), await tables.text()]
    }
    const before = await snapshot()
    const statements = [
      'DELETE FROM m',
      'DELETE FROM fluxgate_raw.m',
      'DROP TABLE m',
      'DROP TABLE fluxgate_raw.m',
      'DROP VIEW m',
      'TRUNCATE m',
      'INSERT INTO m VALUES (1)',
      'UPDATE fluxgate_raw.m SET v = 0',
      'ALTER TABLE fluxgate_raw.m RENAME TO n',
      'CREATE TABLE copied AS SELECT * FROM m',
      'SELECT 1; DELETE FROM fluxgate_raw.m',
      'DROP SCHEMA fluxgate_raw CASCADE',
    ]
    const problems: string[] = []
    for (const principal of ['readA', 'readAll'] as const) {
      for (const q of statements) {
        for (const res of [
          await as(principal, sql('a', q)),
          await as(principal, '/api/v3/query_sql', jsonInit('POST', { db: 'a', q })),
        ]) {
          const body = await res.text()
          if (res.status !== 400 && res.status !== 403) {
            problems.push(`${principal} ${q}: ${res.status} ${body}`)
          }
        }
      }
    }
    assert.deepEqual(problems, [])
    assert.deepEqual(await snapshot(), before)
  })
})
