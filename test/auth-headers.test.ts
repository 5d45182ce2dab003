import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { frozenClock } from '../src/shared/index.js'
import {
  basicHeader,
  createNamedAdmin,
  invalidTokenChallenge,
  malformedBody,
  parsedLogs,
  rawRequest,
  unauthenticatedBody,
  unknownToken,
  withOperator,
} from './support/auth-requests.js'
import type { RawRequestInit, RawResponse } from './support/auth-requests.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

/** Endpoints of each kind the header table is checked on, with their answer when admitted. */
const endpoints = [
  { name: 'GET /health', path: '/health', init: {}, ok: 200 },
  {
    name: 'GET /api/v3/query_sql',
    path: '/api/v3/query_sql?db=a&q=SELECT%201',
    init: {},
    ok: 200,
  },
  {
    name: 'POST /api/v3/write_lp',
    path: '/api/v3/write_lp?db=a',
    init: { method: 'POST', body: 'm v=1' },
    ok: 204,
  },
  { name: 'POST /write', path: '/write?db=a', init: { method: 'POST', body: 'm v=1' }, ok: 204 },
  {
    name: 'GET /api/v3/configure/database',
    path: '/api/v3/configure/database?format=json',
    init: {},
    ok: 200,
  },
  {
    name: 'POST /api/v3/configure/token/named_admin',
    path: '/api/v3/configure/token/named_admin',
    init: { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } },
    ok: 400,
  },
] satisfies Array<{ name: string; path: string; init: RawRequestInit; ok: number }>

type HeaderCase = [label: string, headers: (token: string) => Record<string, string>]

const accepted: HeaderCase[] = [
  ['Bearer <token>', (t) => ({ authorization: `Bearer ${t}` })],
  ['Token <token>', (t) => ({ authorization: `Token ${t}` })],
  ['Basic base64(user:<token>)', (t) => ({ authorization: basicHeader(`user:${t}`) })],
  ['Basic base64(:<token>) with an empty user', (t) => ({ authorization: basicHeader(`:${t}`) })],
]

const malformed: HeaderCase[] = [
  ['bearer <token> (lower-case scheme)', (t) => ({ authorization: `bearer ${t}` })],
  ['BEARER <token> (upper-case scheme)', (t) => ({ authorization: `BEARER ${t}` })],
  ['Bearer (no token)', () => ({ authorization: 'Bearer' })],
  ['Token (no token)', () => ({ authorization: 'Token' })],
  ['Bearer <token> whee (three parts)', (t) => ({ authorization: `Bearer ${t} whee` })],
  ['Bearer  <token> (double space)', (t) => ({ authorization: `Bearer  ${t}` })],
  ['an empty value', () => ({ authorization: '' })],
  ['<token> alone', (t) => ({ authorization: t })],
  ['Digest <token> (unknown scheme)', (t) => ({ authorization: `Digest ${t}` })],
  ['Basic with a payload that is not base64', () => ({ authorization: 'Basic not*base64!' })],
  ['Basic base64(<token>) without a colon', (t) => ({ authorization: basicHeader(t) })],
  [
    'Basic base64(a:b:<token>) with two colons',
    (t) => ({ authorization: basicHeader(`a:b:${t}`) }),
  ],
  [
    'Basic with a payload that is not UTF-8',
    () => ({ authorization: `Basic ${Buffer.from([0x75, 0x3a, 0xff, 0xfe]).toString('base64')}` }),
  ],
]

const unauthenticated: HeaderCase[] = [
  ['no Authorization header', () => ({})],
  ['Basic base64(user:) with an empty token', () => ({ authorization: basicHeader('user:') })],
  ['an unknown token', () => ({ authorization: `Bearer ${unknownToken()}` })],
  ['the token with one character changed', (t) => ({ authorization: `Bearer ${flipLast(t)}` })],
  ['the token under an `auth` header', (t) => ({ auth: `Bearer ${t}` })],
  ['the token under an `x-api-key` header', (t) => ({ 'x-api-key': t })],
  ['the token under a `token` header', (t) => ({ token: t })],
]

function flipLast(token: string): string {
  return `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
}

function assertMalformed(res: RawResponse, context: string): void {
  assert.equal(res.status, 400, `${context}: ${res.body}`)
  assert.equal(res.body, malformedBody, context)
  assert.equal(res.headers['content-type'], undefined, context)
}

function assertUnauthenticated(res: RawResponse, context: string): void {
  assert.equal(res.status, 401, `${context}: ${res.body}`)
  assert.equal(res.body, unauthenticatedBody, context)
  assert.equal(res.headers['www-authenticate'], invalidTokenChallenge, context)
  assert.equal(res.headers['content-type'], undefined, context)
}

describe('Authorization header and token sources', () => {
  const clock = frozenClock('2026-03-01T10:00:00Z')
  let app: TestServer
  let operator: string
  let expired: string

  before(async () => {
    app = await startTestServer({}, { clock })
    operator = app.operatorToken ?? ''
    assert.equal((await app.write('a', 'm v=1 1')).status, 204)
    expired = (await createNamedAdmin(withOperator(app), 'soon-expired', 1)).token
    clock.advance({ seconds: 1 })
  })
  after(() => app.close())

  const send = (path: string, init: RawRequestInit, headers: Record<string, string>) =>
    rawRequest(app.url, path, { ...init, headers: { ...init.headers, ...headers } })

  for (const [label, headers] of accepted) {
    it(`TK-7 accepts ${label} on every kind of endpoint`, async () => {
      for (const endpoint of endpoints) {
        const res = await send(endpoint.path, endpoint.init, headers(operator))
        assert.equal(res.status, endpoint.ok, `${endpoint.name}: ${res.body}`)
      }
    })
  }

  for (const [label, headers] of malformed) {
    it(`TK-7 refuses ${label} with 400 and the exact malformed body`, async () => {
      for (const endpoint of endpoints) {
        assertMalformed(await send(endpoint.path, endpoint.init, headers(operator)), endpoint.name)
      }
    })
  }

  for (const [label, headers] of unauthenticated) {
    it(`TK-7 answers ${label} with 401 and the exact body`, async () => {
      for (const endpoint of endpoints) {
        const res = await send(endpoint.path, endpoint.init, headers(operator))
        assertUnauthenticated(res, endpoint.name)
      }
    })
  }

  it('TK-7 answers `Bearer ` (trailing space) as malformed: the HTTP parser trims it to `Bearer`', async () => {
    const res = await send('/health', {}, { authorization: 'Bearer ' })
    assertMalformed(res, 'Bearer ')
  })

  it('TK-7 takes no token from ?access_token=', async () => {
    for (const endpoint of endpoints) {
      const glue = endpoint.path.includes('?') ? '&' : '?'
      const path = `${endpoint.path}${glue}access_token=${operator}`
      assertUnauthenticated(await send(path, endpoint.init, {}), endpoint.name)
    }
  })

  it('TK-7 takes p= as the token on /write, ignoring u= and the Authorization header', async () => {
    const write = { method: 'POST', body: 'm v=2' }
    assert.equal((await send(`/write?db=a&p=${operator}`, write, {})).status, 204)
    assert.equal((await send(`/write?db=a&u=ada&p=${operator}`, write, {})).status, 204)

    const garbage = { authorization: 'bearer not a header' }
    assert.equal((await send(`/write?db=a&p=${operator}`, write, garbage)).status, 204)

    const valid = { authorization: `Bearer ${operator}` }
    assertUnauthenticated(await send(`/write?db=a&p=${unknownToken()}`, write, valid), 'p wins')
    assertUnauthenticated(await send('/write?db=a&p=', write, valid), 'empty p')
  })

  it('TK-7 reads p= on /query too', async () => {
    assertUnauthenticated(await send(`/query?q=SHOW%20DATABASES&p=${unknownToken()}`, {}, {}), '')
    const admitted = await send(`/query?q=SHOW%20DATABASES&p=${operator}`, {}, {})
    assert.notEqual(admitted.status, 401, admitted.body)
  })

  it('TK-7 honours p= nowhere else', async () => {
    const write = { method: 'POST', body: 'm v=3' }
    const paths: Array<[string, RawRequestInit]> = [
      [`/api/v3/write_lp?db=a&p=${operator}`, write],
      [`/api/v2/write?bucket=a&p=${operator}`, write],
      [`/api/v3/query_sql?db=a&q=SELECT%201&p=${operator}`, {}],
      [`/health?p=${operator}`, {}],
      [`/api/v3/configure/database?format=json&p=${operator}`, {}],
    ]
    for (const [path, init] of paths) {
      const res = await send(path, init, {})
      assert.equal(res.status, 401, `${path.split('?')[0]}: ${res.body}`)
    }
  })

  it('TK-7 authenticates before routing: an unknown path answers 401, not 404', async () => {
    assertUnauthenticated(await send('/no/such/path', {}, {}), 'no token')
    assertMalformed(await send('/no/such/path', {}, { authorization: 'bearer x' }), 'malformed')

    const known = await send('/no/such/path', {}, { authorization: `Bearer ${operator}` })
    assert.equal(known.status, 404)
    assert.equal(known.body, 'Not found')
  })

  it('TK-7 answers an expired token exactly as an unknown or a missing one', async () => {
    const path = '/api/v3/query_sql?db=a&q=SELECT%201'
    const cases = [
      await send(path, {}, { authorization: `Bearer ${expired}` }),
      await send(path, {}, { authorization: `Bearer ${unknownToken()}` }),
      await send(path, {}, {}),
      await send(path, {}, { authorization: basicHeader(`user:${expired}`) }),
    ]
    const [first, ...others] = cases.map(comparable)
    for (const other of others) assert.deepEqual(other, first)
  })

  it('LG-2 logs the real reason of a refusal: expired, unknown or missing', async () => {
    const path = '/api/v3/query_sql?db=a&q=SELECT%201'
    const expiredRes = await send(path, {}, { authorization: `Token ${expired}` })
    const unknownRes = await send(path, {}, { authorization: `Token ${unknownToken()}` })
    const missingRes = await send(path, {}, {})
    assert.deepEqual(comparable(expiredRes), comparable(unknownRes))

    assert.equal(refusalReason(app, expiredRes), 'expired')
    assert.equal(refusalReason(app, unknownRes), 'unknown')
    assert.equal(refusalReason(app, missingRes), 'missing')
  })

  describe('on /api/v2/write', () => {
    const write = { method: 'POST', body: 'm v=4' }

    it('TK-7 accepts every header scheme', async () => {
      for (const [label, headers] of accepted) {
        const res = await send('/api/v2/write?bucket=a', write, headers(operator))
        assert.equal(res.status, 204, `${label}: ${res.body}`)
      }
    })

    it('TK-7 refuses an unauthenticated v2 write with 401', async () => {
      for (const [label, headers] of unauthenticated) {
        const res = await send('/api/v2/write?bucket=a', write, headers(operator))
        assert.equal(res.status, 401, label)
        assert.equal(res.headers['www-authenticate'], invalidTokenChallenge, label)
      }
    })

    it('TK-7 answers the v2 write with the same exact 401 body as every other endpoint', async () => {
      assertUnauthenticated(await send('/api/v2/write?bucket=a', write, {}), 'v2 401')
    })

    it('TK-7 answers a malformed header on the v2 write with the exact malformed body', async () => {
      const res = await send('/api/v2/write?bucket=a', write, { authorization: 'bearer x' })
      assertMalformed(res, 'v2 400')
    })
  })
})

/** A response without the headers that differ on every request. */
function comparable(res: RawResponse) {
  const headers = { ...res.headers }
  for (const name of ['date', 'request-id', 'x-request-id']) delete headers[name]
  return { status: res.status, headers, body: res.body }
}

function refusalReason(app: TestServer, res: RawResponse): unknown {
  const reqId = res.headers['request-id']
  const line = parsedLogs(app.logs).find(
    (entry) => entry.reqId === reqId && entry.msg === 'authentication refused',
  )
  assert.ok(line, `no refusal logged for request ${String(reqId)}`)
  return line.reason
}
