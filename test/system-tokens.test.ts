import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

describe('system.tokens', () => {
  let app: TestServer
  before(async () => {
    app = await startTestServer()
    await app.write('a', 'm v=1 1')
  })
  after(() => app.close())

  it('TK-2 lists tokens with a 9-character hash prefix and readable permissions, never a token', async () => {
    const created = await app.fetch('/api/v3/enterprise/configure/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token_name: 'reader',
        permissions: [{ resource_type: 'db', resource_names: ['a'], actions: ['read', 'write'] }],
      }),
    })
    assert.equal(created.status, 201)
    const { token, hash } = (await created.json()) as { token: string; hash: string }

    const rows = await app.sql('_internal', 'SELECT * FROM system.tokens ORDER BY token_id')
    assert.deepEqual(
      rows.map((r) => [r.token_id, r.name, r.hash, r.permissions]),
      [
        [0, '_admin', rows[0]?.hash, '*:*:*'],
        [1, 'reader', hash.slice(0, 9), '["db:a:read,write"]'],
      ],
    )
    assert.match(String(rows[0]?.hash), /^[0-9a-f]{9}$/)
    assert.ok(!JSON.stringify(rows).includes(token))
    assert.ok(!JSON.stringify(rows).includes(app.operatorToken ?? 'unset'))
  })

  it('is readable by admins only', async () => {
    const created = await app.fetch('/api/v3/enterprise/configure/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token_name: 'all-reader',
        permissions: [{ resource_type: 'db', resource_names: ['*'], actions: ['read'] }],
      }),
    })
    const { token } = (await created.json()) as { token: string }
    const q = new URLSearchParams({ db: '_internal', q: 'SELECT * FROM system.tokens' })

    const res = await app.fetchAs(token, `/api/v3/query_sql?${q}`)
    assert.equal(res.status, 403)
  })
})
