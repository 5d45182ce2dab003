import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { generateApiToken } from '../src/auth/index.js'
import { startServer } from '../src/server/index.js'
import { startTestServer } from './support/test-server.js'

const dir = mkdtempSync(join(tmpdir(), 'fluxgate-tokens-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('admin token recovery listener', () => {
  it('BS-3 is off by default', async () => {
    const app = await startTestServer()
    try {
      assert.equal(app.server.recoveryUrl, undefined)
    } finally {
      await app.close()
    }
  })

  it('BS-3 refuses a non-loopback address at start', async () => {
    await assert.rejects(
      startTestServer({ adminTokenRecoveryHttpBind: '0.0.0.0:0' }),
      /is not a loopback address/,
    )
  })

  it('BS-3 serves only regenerate, without a credential, once, and logs a warning', async () => {
    const app = await startTestServer({ adminTokenRecoveryHttpBind: '127.0.0.1:0' })
    try {
      const recovery = app.server.recoveryUrl ?? ''
      const other = await fetch(`${recovery}/api/v3/configure/database?format=json`)
      assert.equal(other.status, 404)
      assert.equal(await other.text(), 'not found')

      const res = await fetch(`${recovery}/api/v3/configure/token/admin/regenerate`, {
        method: 'POST',
      })
      assert.equal(res.status, 201)
      assert.equal(res.headers.get('cluster-uuid'), null)
      const { token, name } = (await res.json()) as { token: string; name: string }
      assert.equal(name, '_admin')

      assert.equal((await app.fetchAs(app.operatorToken, '/health')).status, 401)
      assert.equal((await app.fetchAs(token, '/health')).status, 200)
      await assert.rejects(
        fetch(`${recovery}/api/v3/configure/token/admin/regenerate`, { method: 'POST' }),
      )
      assert.ok(
        app.logs.some((l) => l.includes('"level":40') && l.includes('operator token recovered')),
      )
      assert.ok(!app.logs.some((l) => l.includes(token)))
    } finally {
      await app.close()
    }
  })
})

describe('offline token files', () => {
  let adminFile: string
  let adminToken: string
  before(() => {
    adminToken = generateApiToken()
    adminFile = join(dir, 'admin.json')
    writeFileSync(adminFile, JSON.stringify({ token: adminToken, name: '_admin' }), { mode: 0o600 })
  })

  it('loads an admin token file as the operator token', async () => {
    const server = await startServer({
      httpBind: '127.0.0.1:0',
      objectStore: 'memory',
      adminTokenFile: adminFile,
      logFilter: 'silent',
    })
    try {
      const ok = await fetch(`${server.url}/api/v3/configure/database?format=json`, {
        headers: { authorization: `Bearer ${adminToken}` },
      })
      assert.equal(ok.status, 200)
      const again = await fetch(`${server.url}/api/v3/configure/token/admin`, { method: 'POST' })
      assert.equal(again.status, 409)
    } finally {
      await server.close()
    }
  })

  it('TK-8 refuses a token without the apiv3_ prefix at start', async () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ token: 'secret-without-prefix' }), { mode: 0o600 })
    await assert.rejects(
      startServer({
        httpBind: '127.0.0.1:0',
        objectStore: 'memory',
        adminTokenFile: bad,
        logFilter: 'silent',
      }),
      /Invalid token format: must start with 'apiv3_'/,
    )
  })

  it('TK-8 warns, naming the file, when others can read it', async () => {
    const loose = join(dir, 'loose.json')
    writeFileSync(loose, JSON.stringify({ token: generateApiToken(), name: 'loose' }))
    chmodSync(loose, 0o644)
    const app = await startTestServer({ adminTokenFile: loose })
    try {
      assert.ok(app.logs.some((l) => l.includes('"level":40') && l.includes(loose)))
    } finally {
      await app.close()
    }
  })

  it('applies a permission tokens file: creates databases and registers scoped tokens', async () => {
    const writer = generateApiToken()
    const file = join(dir, 'permissions.json')
    writeFileSync(
      file,
      JSON.stringify({
        create_databases: ['db1', 'db2'],
        tokens: [{ token: writer, name: 'writer', permissions: ['db:db1:read,write'] }],
      }),
      { mode: 0o600 },
    )
    const app = await startTestServer({ permissionTokensFile: file })
    try {
      const write = (db: string) =>
        app.fetchAs(writer, `/api/v3/write_lp?db=${db}`, { method: 'POST', body: 'm v=1 1' })
      assert.equal((await write('db1')).status, 204)
      assert.equal((await write('db2')).status, 403)
    } finally {
      await app.close()
    }
  })
})
