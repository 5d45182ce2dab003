import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { FluxgateError } from '../src/errors/index.js'
import {
  jsonInit,
  malformedBody,
  parsedLogs,
  rawRequest,
  startBareServer,
} from './support/auth-requests.js'
import type { TokenObject } from './support/auth-requests.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

const disabledText = 'endpoint disabled, started without auth'

describe('--without-auth', () => {
  let app: TestServer
  before(async () => {
    app = await startTestServer({ withoutAuth: true })
  })
  after(() => app.close())

  const tokenPaths: Array<[string, string]> = [
    ['POST', '/api/v3/configure/token/admin'],
    ['POST', '/api/v3/configure/token/admin/regenerate'],
    ['POST', '/api/v3/configure/token/named_admin'],
    ['DELETE', '/api/v3/configure/token?token_name=anyone'],
    ['DELETE', '/api/v3/configure/token'],
    ['GET', '/api/v3/configure/token'],
    ['GET', '/api/v3/configure/token/admin'],
    ['POST', '/api/v3/configure/tokens'],
    ['PUT', '/api/v3/configure/token/whatever/else'],
  ]

  it('AZ-7 answers every /api/v3/configure/token* path with 405, token or not', async () => {
    for (const [method, path] of tokenPaths) {
      for (const headers of [{}, { authorization: 'Bearer anything' }] as Array<
        Record<string, string>
      >) {
        const res = await app.fetchAs(undefined, path, { method, headers })
        assert.equal(res.status, 405, `${method} ${path}`)
        assert.equal(await res.text(), disabledText, `${method} ${path}`)
      }
    }
  })

  it('AZ-7 answers data and system endpoints without a token', async () => {
    const call = (path: string, init?: RequestInit) => app.fetchAs(undefined, path, init)
    assert.equal(
      (await call('/api/v3/write_lp?db=open', { method: 'POST', body: 'm v=1 1' })).status,
      204,
    )
    assert.equal((await call('/write?db=open', { method: 'POST', body: 'm v=2 2' })).status, 204)
    assert.equal(
      (await call('/api/v2/write?bucket=open', { method: 'POST', body: 'm v=3 3' })).status,
      204,
    )
    const created = await call('/api/v3/configure/database', jsonInit('POST', { db: 'made' }))
    assert.equal(created.status, 200)

    const query = await call('/api/v3/query_sql?db=open&q=SELECT%20v%20FROM%20m%20ORDER%20BY%20v')
    assert.equal(query.status, 200)
    assert.deepEqual(await query.json(), [{ v: 1 }, { v: 2 }, { v: 3 }])
    for (const path of ['/health', '/api/v1/health', '/ping', '/metrics']) {
      const res = await call(path)
      await res.body?.cancel()
      assert.equal(res.status, 200, path)
    }
    const listed = await call('/api/v3/configure/database?format=json')
    assert.deepEqual(await listed.json(), [
      { 'iox::database': '_internal' },
      { 'iox::database': 'made' },
      { 'iox::database': 'open' },
    ])
  })

  it('AZ-7 still refuses a malformed Authorization header with 400', async () => {
    for (const path of ['/health', '/api/v3/query_sql?db=open&q=SELECT%201', '/nowhere']) {
      const res = await rawRequest(app.url, path, { headers: { authorization: 'bearer x' } })
      assert.equal(res.status, 400, path)
      assert.equal(res.body, malformedBody)
      assert.equal(res.headers['content-type'], undefined)
    }
  })

  it('AZ-7 warns at start that authentication is off', () => {
    const warning = parsedLogs(app.logs).find(
      (line) => line.level === 40 && String(line.msg).includes('--without-auth'),
    )
    assert.ok(warning, 'no start-up warning about --without-auth')
  })

  it('AZ-7 disables the resource-token endpoint too', async () => {
    const body = { token_name: 'minted', permissions: [wildcardAdmin] }
    const res = await app.fetchAs(
      undefined,
      '/api/v3/enterprise/configure/token',
      jsonInit('POST', body),
    )
    assert.equal(res.status, 405, await res.text())
  })
})

const wildcardAdmin = { resource_type: '*', resource_names: ['*'], actions: ['*'] }

describe('a token minted while authentication is off', () => {
  it('AZ-7 does not open the server once it restarts with authentication', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fluxgate-auth-modes-'))
    try {
      const open = await startBareServer({ objectStore: 'file', dataDir, withoutAuth: true })
      const res = await open.fetchAs(
        undefined,
        '/api/v3/enterprise/configure/token',
        jsonInit('POST', { token_name: 'planted', permissions: [wildcardAdmin] }),
      )
      const status = res.status
      const planted = status === 201 ? ((await res.json()) as TokenObject).token : 'apiv3_none'
      await open.close()
      assert.equal(status, 405)

      const guarded = await startBareServer({ objectStore: 'file', dataDir })
      const probe = await guarded.fetchAs(planted, '/api/v3/configure/database?format=json')
      await probe.body?.cancel()
      await guarded.close()
      assert.equal(probe.status, 401)
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})

const exemptions = {
  health: [
    ['GET', '/health'],
    ['GET', '/api/v1/health'],
  ],
  ping: [
    ['GET', '/ping'],
    ['POST', '/ping'],
  ],
  metrics: [['GET', '/metrics']],
} as const
type Exemption = keyof typeof exemptions
const exemptionNames = Object.keys(exemptions) as Exemption[]

function powerSet<T>(items: T[]): T[][] {
  return items.reduce<T[][]>((sets, item) => [...sets, ...sets.map((s) => [...s, item])], [[]])
}

describe('--disable-authz', () => {
  for (const subset of powerSet(exemptionNames)) {
    const label = subset.length === 0 ? 'nothing' : subset.join(',')
    it(`AZ-7 with ${label} exempts exactly those endpoints`, async () => {
      const app = await startTestServer({ disableAuthz: subset.join(',') })
      try {
        for (const name of exemptionNames) {
          for (const [method, path] of exemptions[name]) {
            const where = `${method} ${path}`
            const anonymous = await rawRequest(app.url, path, { method })
            const withToken = await rawRequest(app.url, path, {
              method,
              headers: { authorization: `Bearer ${app.operatorToken ?? ''}` },
            })
            assert.equal(anonymous.status, subset.includes(name) ? 200 : 401, where)
            assert.equal(withToken.status, 200, where)
          }
        }
        const data = await rawRequest(app.url, '/api/v3/configure/database?format=json')
        assert.equal(data.status, 401)
      } finally {
        await app.close()
      }
    })
  }

  it('AZ-7 skips the Authorization header on exempted paths, trims items', async () => {
    const app = await startTestServer({ disableAuthz: ' health , ping ' })
    try {
      for (const authorization of ['bearer x', 'Bearer unknown', '']) {
        const res = await rawRequest(app.url, '/health', { headers: { authorization } })
        assert.equal(res.status, 200, authorization)
      }
      const guarded = await rawRequest(app.url, '/metrics', {
        headers: { authorization: 'bearer x' },
      })
      assert.equal(guarded.status, 400)
    } finally {
      await app.close()
    }
  })

  it('AZ-7 accepts all six known values', async () => {
    const app = await startBareServer({ disableAuthz: 'health,ping,metrics,ready,pprof,node_stop' })
    await app.close()
  })

  const invalid =
    'invalid value passed in for --disable-authz, allowed values are health, ping, metrics, ready, pprof, and node_stop'
  const tooMany = '--disable-authz cannot take more than 6 items'
  const refusals: Array<[string, string]> = [
    ['health,bogus', invalid],
    ['Health', invalid],
    ['health,ping,metrics,ready,pprof,node_stop,health', tooMany],
    ['health,health,health,health,health,health,health', tooMany],
  ]
  for (const [value, message] of refusals) {
    it(`AZ-7 refuses to start with --disable-authz ${value}`, async () => {
      await assert.rejects(startBareServer({ disableAuthz: value }), (error) => {
        assert.ok(error instanceof FluxgateError)
        assert.equal(error.code, 'ERR_CONFIG')
        assert.equal(error.detail, message)
        assert.ok(error.message.endsWith(message), error.message)
        return true
      })
    })
  }
})
