import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { frozenClock } from '../src/shared/index.js'
import {
  createNamedAdmin,
  createResourceToken,
  dbPermission,
  jsonInit,
  startBareServer,
  unknownToken,
  withOperator,
} from './support/auth-requests.js'
import type { BareServer, Caller, PermissionBody, TokenObject } from './support/auth-requests.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

const tokenFormat = /^apiv3_[A-Za-z0-9_-]{86}$/
const sha512 = (text: string) => createHash('sha512').update(text).digest('hex')
const startedAt = '2026-03-01T10:00:00.000Z'

async function statusAs(app: TestServer, token: string | undefined, path = '/health') {
  const res = await app.fetchAs(token, path)
  await res.body?.cancel()
  return res.status
}

async function expectText(res: Response, status: number, body: string): Promise<void> {
  const text = await res.text()
  assert.equal(res.status, status, text)
  assert.equal(text, body)
}

describe('the operator token', () => {
  it('TK-2 is created once without a credential; then 409 with or without a token', async () => {
    const app = await startBareServer({}, { clock: frozenClock(startedAt) })
    try {
      const path = `${app.url}/api/v3/configure/token/admin`
      const racing = await Promise.all(
        Array.from({ length: 20 }, () => fetch(path, { method: 'POST' })),
      )
      const created = racing.filter((res) => res.status === 201)
      assert.equal(created.length, 1)
      assert.equal(racing.filter((res) => res.status === 409).length, 19)
      const token = (await created[0]?.json()) as TokenObject
      assert.deepEqual(Object.keys(token).sort(), [
        'created_at',
        'expiry',
        'hash',
        'id',
        'name',
        'token',
      ])
      assert.equal(token.name, '_admin')
      assert.match(token.token, tokenFormat)
      assert.equal(token.hash, sha512(token.token))
      assert.equal(token.created_at, startedAt)
      assert.equal(token.expiry, null)

      const conflict = 'token name already exists, _admin'
      await expectText(await fetch(path, { method: 'POST' }), 409, conflict)
      for (const authorization of [`Bearer ${token.token}`, `Bearer ${unknownToken()}`, 'x y z']) {
        await expectText(
          await fetch(path, { method: 'POST', headers: { authorization } }),
          409,
          conflict,
        )
      }
    } finally {
      await app.close()
    }
  })
})

describe('a server whose only admin token came from a file', () => {
  let app: BareServer
  let dir: string
  const fileAdmin = unknownToken()
  const as = (path: string, init?: RequestInit) => app.fetchAs(fileAdmin, path, init)

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fluxgate-file-admin-'))
    const adminTokenFile = join(dir, 'admin.json')
    await writeFile(adminTokenFile, JSON.stringify({ token: fileAdmin, name: 'ops' }), {
      mode: 0o600,
    })
    app = await startBareServer({ adminTokenFile })
    assert.equal((await as('/api/v3/write_lp?db=a', { method: 'POST', body: 'm v=1' })).status, 204)
  })
  after(async () => {
    await app.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('TK-6 regenerating a missing operator token answers 404 with the reference message', async () => {
    const res = await as('/api/v3/configure/token/admin/regenerate', { method: 'POST' })
    await expectText(res, 404, 'missing admin token, cannot update')
  })

  it('TK-6 keeps the name _admin for the operator token', async () => {
    const body = { token_name: '_admin', permissions: [dbPermission(['a'], ['read'])] }
    const res = await as('/api/v3/enterprise/configure/token', jsonInit('POST', body))
    await res.body?.cancel()
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`)
    const bootstrap = await app.fetchAs(undefined, '/api/v3/configure/token/admin', {
      method: 'POST',
    })
    await bootstrap.body?.cancel()
    assert.equal(bootstrap.status, 201)
  })

  it('TK-4 refuses an expiry beyond the representable range and creates nothing', async () => {
    const body = { token_name: 'far-future', expiry_secs: 1e15 }
    const first = await as('/api/v3/configure/token/named_admin', jsonInit('POST', body))
    await first.body?.cancel()
    assert.equal(first.status, 400)
    const retry = await as('/api/v3/configure/token/named_admin', jsonInit('POST', body))
    await retry.body?.cancel()
    assert.notEqual(retry.status, 409)
  })
})

describe('regenerating the operator token', () => {
  let app: BareServer
  let operator: TokenObject
  let current: string
  const as = (token: string | undefined) => (path: string, init?: RequestInit) =>
    app.fetchAs(token, path, init)
  const regenerate = (token: string | undefined) =>
    as(token)('/api/v3/configure/token/admin/regenerate', { method: 'POST' })
  const health = async (token: string) => (await as(token)('/health')).status

  before(async () => {
    app = await startBareServer({})
    const res = await fetch(`${app.url}/api/v3/configure/token/admin`, { method: 'POST' })
    operator = (await res.json()) as TokenObject
    current = operator.token
  })
  after(() => app.close())

  it('TK-6 keeps id and name; the old secret fails at once, the new one works', async () => {
    const kept = await createNamedAdmin(as(current), 'survives-regeneration')

    const res = await regenerate(current)
    assert.equal(res.status, 201)
    const regenerated = (await res.json()) as TokenObject
    assert.equal(regenerated.id, operator.id)
    assert.equal(regenerated.name, '_admin')
    assert.match(regenerated.token, tokenFormat)
    assert.notEqual(regenerated.token, current)
    assert.equal(regenerated.hash, sha512(regenerated.token))
    assert.equal(regenerated.expiry, null)

    assert.equal(await health(current), 401)
    assert.equal(await health(regenerated.token), 200)
    assert.equal(await health(kept.token), 200)
    current = regenerated.token
  })

  it('TK-6 a named admin token may regenerate it; the id stays', async () => {
    const admin = await createNamedAdmin(as(current), 'regenerator')
    const res = await regenerate(admin.token)
    assert.equal(res.status, 201)
    const regenerated = (await res.json()) as TokenObject
    assert.equal(regenerated.id, operator.id)
    assert.equal(await health(current), 401)
    current = regenerated.token
  })

  it('AZ-4 needs an admin token: 401 without one, 403 with a resource token', async () => {
    const write = await as(current)('/api/v3/write_lp?db=a', { method: 'POST', body: 'm v=1 1' })
    assert.equal(write.status, 204)
    const reader = await createResourceToken(as(current), 'reader', [dbPermission(['*'], ['read'])])

    assert.equal((await regenerate(undefined)).status, 401)
    assert.equal((await regenerate(reader.token)).status, 403)
    assert.equal(await health(current), 200)
  })
})

describe('API tokens', () => {
  const clock = frozenClock('2026-03-01T10:00:00Z')
  let app: TestServer
  let readAll: TokenObject
  let asOperator: Caller

  before(async () => {
    app = await startTestServer({}, { clock })
    asOperator = withOperator(app)
    for (const db of ['a', 'b']) assert.equal((await app.write(db, 'm v=1 1')).status, 204)
    readAll = await createResourceToken(asOperator, 'read-all', [dbPermission(['*'], ['read'])])
  })
  after(() => app.close())

  const operator = () => app.operatorToken ?? ''
  const resourceBody = (name: string, permissions: unknown[]) =>
    jsonInit('POST', { token_name: name, permissions })
  const createResource = (name: string, permissions: unknown[]) =>
    app.fetch('/api/v3/enterprise/configure/token', resourceBody(name, permissions))

  it('TK-1 every issued token has the apiv3_ format and none repeats', async () => {
    const issued: string[] = [operator(), readAll.token]
    const readA = [dbPermission(['a'], ['read'])]
    for (let i = 0; i < 15; i++) {
      issued.push((await createNamedAdmin(asOperator, `format-admin-${i}`)).token)
      issued.push((await createResourceToken(asOperator, `format-res-${i}`, readA)).token)
    }
    for (const token of issued) assert.match(token, tokenFormat)
    assert.equal(new Set(issued).size, issued.length)
  })

  it('TK-2 the hash of a token object is the lowercase hex SHA-512 of the whole token', async () => {
    for (const token of [
      await createNamedAdmin(asOperator, 'hash-admin'),
      await createResourceToken(asOperator, 'hash-res', [dbPermission(['b'], ['write'])]),
    ]) {
      assert.match(token.hash, /^[0-9a-f]{128}$/)
      assert.equal(token.hash, sha512(token.token))
    }
  })

  it('TK-3 refuses a token that differs from a real one in one character', async () => {
    const token = operator()
    for (const index of [6, 50, token.length - 1]) {
      const changed = token[index] === 'A' ? 'B' : 'A'
      const forged = `${token.slice(0, index)}${changed}${token.slice(index + 1)}`
      assert.equal(await statusAs(app, forged), 401)
    }
    assert.equal(await statusAs(app, token.slice(0, -1)), 401)
    assert.equal(await statusAs(app, `${token}A`), 401)
  })

  describe('named admin tokens', () => {
    it('TK-4 a named admin token works for admin actions', async () => {
      const admin = await createNamedAdmin(asOperator, 'acting-admin')
      const created = await app.fetchAs(
        admin.token,
        '/api/v3/configure/database',
        jsonInit('POST', { db: 'made-by-named-admin' }),
      )
      assert.equal(created.status, 200)
      const internal = await app.fetchAs(admin.token, '/api/v3/query_sql?db=_internal&q=SELECT%201')
      assert.equal(internal.status, 200)
      const minted = await app.fetchAs(
        admin.token,
        '/api/v3/configure/token/named_admin',
        jsonInit('POST', { token_name: 'minted-by-named-admin' }),
      )
      assert.equal(minted.status, 201)
    })

    it('TK-4 expiry_secs: 2 is valid at 1 s and refused at 2 s', async () => {
      const created = clock.now()
      const admin = await createNamedAdmin(asOperator, 'two-seconds', 2)
      assert.equal(admin.created_at, created.toISOString())
      assert.equal(admin.expiry, new Date(created.getTime() + 2000).toISOString())

      clock.advance({ seconds: 1 })
      assert.equal(await statusAs(app, admin.token), 200)
      clock.advance({ seconds: 1 })
      assert.equal(await statusAs(app, admin.token), 401)
    })

    it('TK-4 expiry_secs: 0 is already expired', async () => {
      const admin = await createNamedAdmin(asOperator, 'born-expired', 0)
      assert.equal(await statusAs(app, admin.token), 401)
    })

    it('TK-4 a token without expiry still works 400 days later', async () => {
      const admin = await createNamedAdmin(asOperator, 'lasting')
      assert.equal(admin.expiry, null)
      clock.advance({ seconds: 400 * 86_400 })
      assert.equal(await statusAs(app, admin.token), 200)
    })

    it('refuses a used name with 409, a missing content type with 415, bad JSON with 400', async () => {
      await createNamedAdmin(asOperator, 'taken')
      const path = '/api/v3/configure/token/named_admin'
      for (const name of ['taken', '_admin', 'read-all']) {
        const res = await app.fetch(path, jsonInit('POST', { token_name: name }))
        await expectText(res, 409, `token name already exists, ${name}`)
      }

      const untyped = await app.fetch(path, { method: 'POST', body: '{"token_name":"x"}' })
      await expectText(untyped, 415, 'unacceptable content-type, expected: application/json')
      const broken = await app.fetch(path, { ...jsonInit('POST', {}), body: '{"token_name":' })
      assert.equal(broken.status, 400)
      assert.match(await broken.text(), /^serde json error: /)
    })
  })

  describe('resource tokens', () => {
    it('TK-5 a resource token does what its permissions allow and nothing more', async () => {
      const token = (
        await createResourceToken(asOperator, 'reader-a', [dbPermission(['a'], ['read'])])
      ).token
      assert.equal(await statusAs(app, token, '/api/v3/query_sql?db=a&q=SELECT%201'), 200)
      assert.equal(await statusAs(app, token, '/api/v3/query_sql?db=b&q=SELECT%201'), 403)
      const write = await app.fetchAs(token, '/api/v3/write_lp?db=a', {
        method: 'POST',
        body: 'm v=9',
      })
      assert.equal(write.status, 403)
      assert.equal(await statusAs(app, token), 403)
    })

    it('TK-5 accepts resource_identifier for the names and system permissions', async () => {
      const res = await createResource('identified', [
        { resource_type: 'db', resource_identifier: ['b'], actions: ['read', 'write'] },
        { resource_type: 'system', resource_names: ['health'], actions: ['read'] },
      ])
      assert.equal(res.status, 201)
      const token = ((await res.json()) as TokenObject).token
      assert.equal(await statusAs(app, token, '/api/v3/query_sql?db=b&q=SELECT%201'), 200)
      assert.equal(await statusAs(app, token, '/health'), 200)
      assert.equal(await statusAs(app, token, '/metrics'), 403)
    })

    const refusals: Array<[string, PermissionBody | string, string | RegExp]> = [
      [
        'an unknown database',
        dbPermission(['nope'], ['read']),
        'cannot parse token permission, invalid resource name nope',
      ],
      [
        'a wildcard mixed with names',
        dbPermission(['*', 'a'], ['read']),
        'mixed wildcard (*) and resource name',
      ],
      [
        'an unsupported database action',
        dbPermission(['a'], ['drop']),
        'action not supported, database action drop',
      ],
      [
        'a system action other than read',
        { resource_type: 'system', resource_names: ['health'], actions: ['write'] },
        /^action not supported, system action/,
      ],
      ['the short-form string db:a:read', 'db:a:read', /^serde json error: /],
    ]
    for (const [label, permission, message] of refusals) {
      it(`TK-5 refuses ${label} with 400 and creates nothing`, async () => {
        const res = await createResource('refused', [permission])
        const text = await res.text()
        assert.equal(res.status, 400, text)
        if (typeof message === 'string') assert.equal(text, message)
        else assert.match(text, message)
      })
    }
    it('TK-5 the refused token names above were never registered', async () => {
      assert.equal((await createResource('refused', [dbPermission(['a'], ['read'])])).status, 201)
    })

    it('TK-5 names the short-form mistake as the reference does', async () => {
      const res = await createResource('short-form', ['db:a:read'])
      assert.match(await res.text(), /^serde json error: invalid type: string/)
    })

    it('shares one name space with admin tokens: a duplicate of any kind is 409', async () => {
      await createNamedAdmin(asOperator, 'shared-admin')
      await createResourceToken(asOperator, 'shared-res', [dbPermission(['a'], ['read'])])
      for (const name of ['shared-admin', 'shared-res', '_admin']) {
        const res = await createResource(name, [dbPermission(['a'], ['read'])])
        await expectText(res, 409, `token name already exists, ${name}`)
      }
      const named = await app.fetch(
        '/api/v3/configure/token/named_admin',
        jsonInit('POST', { token_name: 'shared-res' }),
      )
      await expectText(named, 409, 'token name already exists, shared-res')
    })

    it('AZ-4 only admin tokens create tokens', async () => {
      const body = resourceBody('escalated', [dbPermission(['*'], ['read', 'write'])])
      const res = await app.fetchAs(readAll.token, '/api/v3/enterprise/configure/token', body)
      assert.equal(res.status, 403)
      const named = await app.fetchAs(
        readAll.token,
        '/api/v3/configure/token/named_admin',
        jsonInit('POST', { token_name: 'escalated' }),
      )
      assert.equal(named.status, 403)
    })

    it('TK-5 a database deleted and created again is not covered by old grants', async () => {
      assert.equal((await app.write('reborn', 'm v=1 1')).status, 204)
      const token = (
        await createResourceToken(asOperator, 'reborn-reader', [dbPermission(['reborn'], ['read'])])
      ).token
      const query = '/api/v3/query_sql?db=reborn&q=SELECT%201'
      assert.equal(await statusAs(app, token, query), 200)

      const deleted = await app.fetch('/api/v3/configure/database?db=reborn', { method: 'DELETE' })
      assert.equal(deleted.status, 200)
      assert.equal((await app.write('reborn', 'm v=2 2')).status, 204)
      assert.equal(await statusAs(app, token, query), 403)
    })
  })

  describe('deleting tokens', () => {
    const remove = (name: string, token = operator()) =>
      app.fetchAs(token, `/api/v3/configure/token?token_name=${encodeURIComponent(name)}`, {
        method: 'DELETE',
      })

    it('TK-6 a deleted token fails on the next request; deleting it again is 404', async () => {
      const admin = await createNamedAdmin(asOperator, 'doomed-admin')
      const reader = await createResourceToken(asOperator, 'doomed-reader', [
        dbPermission(['a'], ['read']),
      ])
      for (const token of [admin, reader]) {
        await expectText(await remove(token.name), 200, '')
        assert.equal(await statusAs(app, token.token, '/api/v3/query_sql?db=a&q=SELECT%201'), 401)
        const again = await remove(token.name)
        await expectText(again, 404, `the requested resource was not found: ${token.name}`)
      }
    })

    it('TK-6 a named admin token may delete itself', async () => {
      const admin = await createNamedAdmin(asOperator, 'self-deleting')
      await expectText(await remove('self-deleting', admin.token), 200, '')
      assert.equal(await statusAs(app, admin.token), 401)
    })

    it('TK-6 the operator token cannot be deleted: 405', async () => {
      await expectText(await remove('_admin'), 405, 'cannot delete operator token')
      assert.equal(await statusAs(app, operator()), 200)
    })

    it('answers an unknown name with 404 and a missing token_name with 400', async () => {
      await expectText(await remove('nobody'), 404, 'the requested resource was not found: nobody')
      const missing = await app.fetch('/api/v3/configure/token', { method: 'DELETE' })
      await expectText(missing, 400, 'serde error: missing field `token_name`')
    })

    it('AZ-4 a resource token cannot delete tokens', async () => {
      const victim = await createNamedAdmin(asOperator, 'protected')
      assert.equal((await remove('protected', readAll.token)).status, 403)
      assert.equal(await statusAs(app, victim.token), 200)
    })
  })
})

describe('token changes across a restart', () => {
  it('TK-6 a regenerated secret and a deleted token stay so after a restart', async () => {
    const app = await startTestServer({ file: true })
    const dataDir = app.dataDir ?? ''
    try {
      const old = app.operatorToken ?? ''
      const kept = await createNamedAdmin(withOperator(app), 'kept')
      const gone = await createNamedAdmin(withOperator(app), 'gone')
      const res = await app.fetch('/api/v3/configure/token/admin/regenerate', { method: 'POST' })
      const regenerated = ((await res.json()) as TokenObject).token
      const removed = await app.fetchAs(regenerated, '/api/v3/configure/token?token_name=gone', {
        method: 'DELETE',
      })
      assert.equal(removed.status, 200)
      await app.server.close()

      const again = await startBareServer({ objectStore: 'file', dataDir })
      try {
        const status = async (token: string) =>
          (await fetch(`${again.url}/health`, { headers: { authorization: `Bearer ${token}` } }))
            .status
        assert.equal(await status(old), 401)
        assert.equal(await status(regenerated), 200)
        assert.equal(await status(gone.token), 401)
        assert.equal(await status(kept.token), 200)
      } finally {
        await again.close()
      }
    } finally {
      await app.close()
    }
  })
})
