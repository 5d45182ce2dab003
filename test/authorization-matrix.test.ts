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
import { oauthServerFlags, startTestIdentityProvider } from './support/oidc-provider.js'
import type { TestIdentityProvider } from './support/oidc-provider.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'
import { createUser, goodPassword, signIn } from './support/user-auth.js'

/** The principals of the server without user sign-in: API tokens of every kind, or none. */
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

/**
 * The principals of the server with password and provider sign-in: users of the built-in
 * Admin and Member roles, each once with an access token of the identity provider and once with
 * a password session, which must be answered alike; and, refused, no credential and a provider
 * token whose subject is no user.
 */
const signInPrincipals = [
  'none',
  'stranger',
  'oauthAdmin',
  'sessionAdmin',
  'oauthMember',
  'sessionMember',
] as const
type PrincipalName = (typeof principals)[number] | (typeof signInPrincipals)[number]

// The Admin role may do everything (`all`), as an admin token may.
const adminUsers: PrincipalName[] = ['oauthAdmin', 'sessionAdmin']
const admins: PrincipalName[] = ['operator', 'namedAdmin', ...adminUsers]
// The Member role works with every database but `_internal`, reads every system endpoint,
// creates resource tokens and reads users and roles; admin-token endpoints are not for it.
const members: PrincipalName[] = ['oauthMember', 'sessionMember']
const users: PrincipalName[] = [...adminUsers, ...members]
const refused: PrincipalName[] = ['none', 'expired', 'stranger']
const authenticated = [...new Set([...principals, ...signInPrincipals])].filter(
  (p) => !refused.includes(p),
)

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
    allowed: [...admins, 'writeA', ...members],
  },
  {
    route: 'POST /api/v3/write_lp',
    label: 'write_lp to b',
    request: (p) => ({ path: '/api/v3/write_lp?db=b', init: post(`m,by=${p} v=2`) }),
    ok: 204,
    allowed: [...admins, 'rwB', ...members],
  },
  {
    route: 'POST /api/v3/write_lp',
    label: 'write_lp creating a database',
    request: (p) => ({ path: `/api/v3/write_lp?db=fresh_${p}`, init: post('m v=1') }),
    ok: 204,
    allowed: [...admins, ...members],
  },
  {
    route: 'POST /write',
    label: 'v1 write to a',
    request: (p) => ({ path: '/write?db=a', init: post(`m,by=${p} v=3`) }),
    ok: 204,
    allowed: [...admins, 'writeA', ...members],
  },
  {
    route: 'POST /api/v2/write',
    label: 'v2 write to a',
    request: (p) => ({ path: '/api/v2/write?bucket=a', init: post(`m,by=${p} v=4`) }),
    ok: 204,
    allowed: [...admins, 'writeA', ...members],
    style: 'v2',
  },
  {
    route: 'GET /api/v3/query_sql',
    label: 'SQL on a (GET)',
    request: () => ({ path: sql('a', 'SELECT count(*) FROM m') }),
    ok: 200,
    allowed: [...admins, 'readA', 'readAll', ...members],
  },
  {
    route: 'POST /api/v3/query_sql',
    label: 'SQL on a (POST)',
    request: () => ({
      path: '/api/v3/query_sql',
      init: jsonInit('POST', { db: 'a', q: 'SELECT 1' }),
    }),
    ok: 200,
    allowed: [...admins, 'readA', 'readAll', ...members],
  },
  {
    route: 'GET /api/v3/query_sql',
    label: 'SQL on b',
    request: () => ({ path: sql('b', 'SELECT count(*) FROM m') }),
    ok: 200,
    allowed: [...admins, 'rwB', 'readAll', ...members],
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
    allowed: [...admins, 'readA', 'readAll', ...members],
  },
  {
    route: 'POST /api/v3/query_influxql',
    label: 'InfluxQL on b named in the query (POST)',
    request: () => ({
      path: '/api/v3/query_influxql',
      init: jsonInit('POST', { q: 'SELECT count(v) FROM b..m' }),
    }),
    ok: 200,
    allowed: [...admins, 'rwB', 'readAll', ...members],
  },
  {
    route: 'GET /query',
    label: 'v1 query on a (GET)',
    request: () => ({ path: v1Query('a', 'SELECT count(v) FROM m') }),
    ok: 200,
    allowed: [...admins, 'readA', 'readAll', ...members],
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
    allowed: [...admins, 'rwB', 'readAll', ...members],
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
    allowed: [...admins, ...members],
  },
  {
    route: 'PUT /api/v3/configure/database',
    label: 'update database a',
    request: () => ({
      path: '/api/v3/configure/database',
      init: jsonInit('PUT', { db: 'a', retention_period: null }),
    }),
    ok: 200,
    allowed: [...admins, ...members],
  },
  {
    route: 'DELETE /api/v3/configure/database',
    label: 'delete a database',
    request: (p) => ({
      path: `/api/v3/configure/database?db=gone_${p}`,
      init: { method: 'DELETE' },
    }),
    ok: 200,
    allowed: [...admins, ...members],
  },
  {
    route: 'POST /api/v3/configure/table',
    label: 'create a table in a',
    request: (p) => ({
      path: '/api/v3/configure/table',
      init: jsonInit('POST', { db: 'a', table: `made_${p}`, tags: ['k'] }),
    }),
    ok: 200,
    allowed: [...admins, ...members],
  },
  {
    route: 'DELETE /api/v3/configure/table',
    label: 'delete a table of a',
    request: (p) => ({
      path: `/api/v3/configure/table?db=a&table=drop_${p}`,
      init: { method: 'DELETE' },
    }),
    ok: 200,
    allowed: [...admins, ...members],
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
    allowed: [...admins, 'system', ...members],
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
    allowed: [...admins, ...members],
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
    route: 'GET /.well-known/jwks.json',
    label: 'the signing keys',
    request: () => ({ path: '/.well-known/jwks.json' }),
    ok: 200,
    allowed: [],
    everyone: 200,
  },
)

// The server without user sign-in: its user endpoints answer 503 to whoever reaches them.
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

const withoutSignInRows: MatrixRow[] = [
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
]

const adminRole = 1
const memberRole = 3

/** What the server with user sign-in assigns while it is set up, for its user endpoints. */
interface UserIds {
  /** The user each principal changes, then deletes. */
  victim: Partial<Record<PrincipalName, number>>
  /** The principal's own account. */
  self: Partial<Record<PrincipalName, number>>
  /** A live session of `target`, one for each principal to end. */
  session: Partial<Record<PrincipalName, string>>
  /** A user with a password, whom everyone reads and whose sessions they end. */
  target: number
}
const ids: UserIds = { victim: {}, self: {}, session: {}, target: 0 }
// A principal without an account is refused before the id in the path is read.
const idOf = (known: Partial<Record<PrincipalName, number>>, p: PrincipalName) => known[p] ?? 0
const userPath = (id: number, rest = '') => `/api/v3/users/${id}${rest}`

// Logout ends `oauth:<token id>`, the session id a provider token's principal carries, which
// no session record has: the signed-in caller gets 404 "session not found" instead of 204.
// The server with password and provider sign-in: Admin and Member both read users and roles,
// only Admin changes other users, and every user may change their own account.
const withSignInRows: MatrixRow[] = [
  {
    route: 'POST /api/v3/authorize',
    label: 'sign in with a wrong password',
    request: (p) => ({
      path: '/api/v3/authorize',
      init: jsonInit('POST', { username: `nobody_${p}`, password: 'wrong' }),
    }),
    ok: 401,
    allowed: [],
    everyone: 401,
  },
  {
    route: 'POST /api/v3/authorize/refresh',
    label: 'refresh with an unknown refresh token',
    request: () => ({
      path: '/api/v3/authorize/refresh',
      init: jsonInit('POST', { refreshToken: 'fgrt_x' }),
    }),
    ok: 401,
    allowed: [],
    everyone: 401,
  },
  {
    route: 'POST /api/v3/authorize/reset-password',
    label: 'reset the password with a wrong one',
    request: (p) => ({
      path: '/api/v3/authorize/reset-password',
      init: jsonInit('POST', {
        username: `nobody_${p}`,
        currentPassword: 'wrong',
        newPassword: goodPassword,
      }),
    }),
    ok: 401,
    allowed: [],
    everyone: 401,
  },
  {
    route: 'GET /api/v3/authorize/whoami',
    label: 'whoami',
    request: () => ({ path: '/api/v3/authorize/whoami' }),
    ok: 200,
    allowed: users,
  },
  {
    route: 'GET /api/v3/users',
    label: 'list users',
    request: () => ({ path: '/api/v3/users' }),
    ok: 200,
    allowed: users,
  },
  {
    route: 'POST /api/v3/users',
    label: 'create a user',
    request: (p) => ({ path: '/api/v3/users', init: jsonInit('POST', { oauthId: `made-${p}` }) }),
    ok: 201,
    allowed: adminUsers,
  },
  {
    route: 'GET /api/v3/users/{id}',
    label: 'read another user',
    request: () => ({ path: userPath(ids.target) }),
    ok: 200,
    allowed: users,
  },
  {
    route: 'PATCH /api/v3/users/{id}',
    label: 'rename another user',
    request: (p) => ({
      path: userPath(idOf(ids.victim, p)),
      init: jsonInit('PATCH', { displayName: `renamed by ${p}` }),
    }),
    ok: 200,
    allowed: adminUsers,
  },
  {
    route: 'PATCH /api/v3/users/{id}',
    label: 'rename oneself',
    request: (p) => ({
      path: userPath(idOf(ids.self, p)),
      init: jsonInit('PATCH', { displayName: p }),
    }),
    ok: 200,
    allowed: users,
  },
  {
    route: 'POST /api/v3/users/{id}/require-password-reset',
    label: 'require another user to reset their password',
    request: (p) => ({
      path: userPath(idOf(ids.victim, p), '/require-password-reset'),
      init: { method: 'POST' },
    }),
    ok: 200,
    allowed: adminUsers,
  },
  {
    route: 'GET /api/v3/users/{id}/roles',
    label: "another user's roles",
    request: () => ({ path: userPath(ids.target, '/roles') }),
    ok: 200,
    allowed: users,
  },
  {
    route: 'PUT /api/v3/users/{id}/roles',
    label: "set another user's roles",
    request: (p) => ({
      path: userPath(idOf(ids.victim, p), '/roles'),
      init: jsonInit('PUT', { roleIds: [memberRole] }),
    }),
    ok: 200,
    allowed: adminUsers,
  },
  {
    route: 'GET /api/v3/users/{id}/sessions',
    label: "another user's sessions",
    request: () => ({ path: userPath(ids.target, '/sessions') }),
    ok: 200,
    allowed: users,
  },
  {
    route: 'DELETE /api/v3/users/{id}/sessions/{sessionId}',
    label: "end another user's session",
    request: (p) => ({
      path: userPath(ids.target, `/sessions/${ids.session[p] ?? 'none'}`),
      init: { method: 'DELETE' },
    }),
    ok: 204,
    allowed: adminUsers,
  },
  {
    route: 'DELETE /api/v3/users/{id}',
    label: 'delete another user',
    request: (p) => ({ path: userPath(idOf(ids.victim, p)), init: { method: 'DELETE' } }),
    ok: 200,
    allowed: adminUsers,
  },
  {
    route: 'GET /api/v3/users_by_oauth_id/{oauthId}',
    label: 'find a user by provider subject',
    request: () => ({ path: '/api/v3/users_by_oauth_id/oauth-member' }),
    ok: 200,
    allowed: users,
  },
  {
    route: 'GET /api/v3/roles',
    label: 'list roles',
    request: () => ({ path: '/api/v3/roles' }),
    ok: 200,
    allowed: users,
  },
  {
    route: 'GET /api/v3/roles/{id}/permissions',
    label: "the Member role's permissions",
    request: () => ({ path: `/api/v3/roles/${memberRole}/permissions` }),
    ok: 200,
    allowed: users,
  },
  {
    route: 'GET /api/v3/roles_by_name/{name}',
    label: 'the Admin role by name',
    request: () => ({ path: '/api/v3/roles_by_name/Admin' }),
    ok: 200,
    allowed: users,
  },
  {
    route: 'GET /api/v3/auth/oauth/config',
    label: 'the OAuth config',
    request: () => ({ path: '/api/v3/auth/oauth/config' }),
    ok: 200,
    allowed: [],
    everyone: 200,
  },
  {
    route: 'GET /auth/login',
    label: 'browser sign-in, with no browser address configured',
    request: () => ({ path: '/auth/login' }),
    ok: 404,
    allowed: [],
    everyone: 404,
  },
  {
    route: 'GET /auth/callback',
    label: 'the browser sign-in callback, with no browser address configured',
    request: () => ({ path: '/auth/callback?code=c&state=s' }),
    ok: 404,
    allowed: [],
    everyone: 404,
  },
  // Last: signing out ends the password sessions the rows above use.
  {
    route: 'POST /api/v3/authorize/logout',
    label: 'sign out',
    request: () => ({ path: '/api/v3/authorize/logout', init: { method: 'POST' } }),
    ok: 204,
    allowed: users,
  },
]

function expectedStatus(row: MatrixRow, principal: PrincipalName): number {
  if (row.everyone !== undefined) return row.everyone
  if (refused.includes(principal)) return 401
  if (row.allowed.includes(principal)) return row.ok
  return row.style === 'v1-query' ? 401 : 403
}

/** What is wrong with a refusal's body, if anything; public routes answer in their own words. */
function refusalProblem(row: MatrixRow, status: number, body: string): string | undefined {
  if (row.everyone !== undefined) return undefined
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

/** Asks every row of `table` as every one of `who`, and lists the answers that differ. */
async function walk(
  table: MatrixRow[],
  who: readonly PrincipalName[],
  as: (principal: PrincipalName, path: string, init?: RequestInit) => Promise<Response>,
  onAnswer: (row: MatrixRow, status: number, body: string) => void = () => undefined,
): Promise<string[]> {
  const problems: string[] = []
  for (const row of table) {
    for (const principal of who) {
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
      onAnswer(row, res.status, body)
    }
  }
  return problems
}

const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`

/** The routes `table` leaves out, and the routes it names that do not exist. */
function coverageGaps(table: MatrixRow[]): { missing: string[]; unknown: string[] } {
  const covered = new Set(table.map((row) => row.route))
  const known = new Set(allRoutes.map(routeKey))
  return {
    missing: allRoutes.map(routeKey).filter((key) => !covered.has(key)),
    unknown: [...covered].filter((key) => !known.has(key)),
  }
}

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
    assert.deepEqual(coverageGaps([...rows, ...withoutSignInRows]), { missing: [], unknown: [] })
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
    const problems = await walk(
      [...rows, ...withoutSignInRows],
      principals,
      as,
      (row, status, body) => {
        if (row.route.endsWith('/regenerate') && status === 201) {
          tokens.operator = (JSON.parse(body) as TokenObject).token
        }
      },
    )
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

describe('authorization of every route for users, with provider tokens as with password sessions', () => {
  // Provider tokens carry real times: the server's clock starts at the real now, frozen.
  const clock = frozenClock(new Date().toISOString())
  const tokens: Partial<Record<PrincipalName, string>> = {}
  let idp: TestIdentityProvider
  let app: TestServer

  const as = (principal: PrincipalName, path: string, init?: RequestInit) =>
    app.fetchAs(tokens[principal], path, init)
  const sessionIdOf = async (token: string) => {
    const res = await app.fetchAs(token, '/api/v3/authorize/whoami')
    assert.equal(res.status, 200, await res.clone().text())
    return ((await res.json()) as { sessionId: string }).sessionId
  }

  before(async () => {
    idp = await startTestIdentityProvider({
      accounts: [{ sub: 'oauth-admin' }, { sub: 'oauth-member' }, { sub: 'stranger' }],
    })
    app = await startTestServer(oauthServerFlags(idp, 'basic,oauth'), { clock })
    for (const db of ['a', 'b', 'c'])
      assert.equal((await app.write(db, 'm,by=setup v=1 1')).status, 204)

    ids.target = await createUser(app, { username: 'target', password: goodPassword })
    for (const p of signInPrincipals) {
      assert.equal((await app.write('a', `drop_${p} v=1 1`)).status, 204)
      assert.equal((await app.write(`gone_${p}`, 'm v=1 1')).status, 204)
      await createResourceToken(withOperator(app), `victim_${p}`, [readA])
      ids.victim[p] = await createUser(app, { oauthId: `victim-${p}` })
    }
    for (const p of users) ids.session[p] = await sessionIdOf((await signIn(app, 'target')).token)

    ids.self.oauthAdmin = await createUser(app, { oauthId: 'oauth-admin', roleIds: [adminRole] })
    ids.self.oauthMember = await createUser(app, { oauthId: 'oauth-member', roleIds: [memberRole] })
    tokens.oauthAdmin = await idp.mintAccessToken('oauth-admin')
    tokens.oauthMember = await idp.mintAccessToken('oauth-member')
    tokens.stranger = await idp.mintAccessToken('stranger')
    for (const [p, username, role] of [
      ['sessionAdmin', 'session-admin', adminRole],
      ['sessionMember', 'session-member', memberRole],
    ] as const) {
      ids.self[p] = await createUser(app, { username, password: goodPassword, roleIds: [role] })
      tokens[p] = (await signIn(app, username)).token
    }
  })
  after(async () => {
    await app.close()
    await idp.close()
  })

  it('AZ-2 the table below covers every route; a new route must be added to it', () => {
    assert.deepEqual(coverageGaps([...rows, ...withSignInRows]), { missing: [], unknown: [] })
  })

  it('AZ-1 a database listing shows what the role may describe, whatever the credential', async () => {
    const listAs = async (principal: PrincipalName) => {
      const res = await as(principal, '/api/v3/configure/database?format=json')
      assert.equal(res.status, 200, principal)
      const rows = (await res.json()) as Array<{ 'iox::database': string }>
      return rows.map((row) => row['iox::database'])
    }

    const everything = await listAs('oauthAdmin')
    for (const db of ['_internal', 'a', 'b', 'c']) assert.ok(everything.includes(db), db)
    assert.deepEqual(await listAs('sessionAdmin'), everything)
    for (const p of members) {
      assert.deepEqual(
        await listAs(p),
        everything.filter((db) => db !== '_internal'),
        p,
      )
    }
  })

  it('AZ-1 every route answers an Admin and a Member alike, by provider token or password session', async () => {
    assert.deepEqual(await walk([...rows, ...withSignInRows], signInPrincipals, as), [])
  })
})
