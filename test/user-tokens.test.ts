import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { frozenClock } from '../src/shared/index.js'
import { dbPermission } from './support/auth-requests.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'
import { bootstrapAdmin, callAs, goodPassword, signIn } from './support/user-auth.js'

const member = 3
const auditor = 2

async function status(res: Response): Promise<number> {
  await res.body?.cancel()
  return res.status
}

describe('tokens made by users', () => {
  const clock = frozenClock('2026-06-01T08:00:00Z')
  let app: TestServer
  let adminJwt: string
  let memberId: number
  let memberJwt: string

  const createUser = async (username: string, roleIds: number[]) => {
    const res = await callAs(app, adminJwt, 'POST', '/api/v3/users', {
      username,
      password: goodPassword,
      roleIds,
    })
    assert.equal(res.status, 201, await res.clone().text())
    return ((await res.json()) as { userId: number }).userId
  }
  const createToken = (jwt: string, name: string, permissions: unknown[]) =>
    callAs(app, jwt, 'POST', '/api/v3/enterprise/configure/token', {
      token_name: name,
      permissions,
    })
  const writeWith = (token: string) =>
    app.fetchAs(token, '/api/v3/write_lp?db=a', { method: 'POST', body: 'm v=1 1' })
  const readWith = (token: string) =>
    app.fetchAs(token, `/api/v3/query_sql?${new URLSearchParams({ db: 'a', q: 'SELECT 1' })}`)

  before(async () => {
    app = await startTestServer({ fresh: true, userAuthType: 'basic' }, { clock })
    const { operatorToken } = await bootstrapAdmin(app, 'ada')
    assert.equal(
      await status(
        await app.fetchAs(operatorToken, '/api/v3/write_lp?db=a', {
          method: 'POST',
          body: 'm v=0 1',
        }),
      ),
      204,
    )
    adminJwt = (await signIn(app, 'ada')).token
    memberId = await createUser('mia', [member])
    await createUser('otto', [auditor])
    memberJwt = (await signIn(app, 'mia')).token
  })
  after(() => app.close())

  it('AZ-5 a member creates resource tokens within their rights, never beyond them', async () => {
    const created = await createToken(memberJwt, 'mia-a', [dbPermission(['a'], ['read', 'write'])])
    assert.equal(created.status, 201)
    const token = ((await created.json()) as { token: string }).token
    assert.equal(await status(await writeWith(token)), 204)

    const internal = await createToken(memberJwt, 'mia-internal', [
      dbPermission(['_internal'], ['read']),
    ])
    assert.equal(await status(internal), 403)
    const auditorJwt = (await signIn(app, 'otto')).token
    assert.equal(
      await status(await createToken(auditorJwt, 'otto-a', [dbPermission(['a'], ['read'])])),
      403,
    )
  })

  it('AZ-6 a token shrinks when its creator is demoted and dies with its creator', async () => {
    const created = await createToken(memberJwt, 'mia-rw', [dbPermission(['a'], ['read', 'write'])])
    const token = ((await created.json()) as { token: string }).token
    assert.equal(await status(await writeWith(token)), 204)

    const demoted = await callAs(app, adminJwt, 'PUT', `/api/v3/users/${memberId}/roles`, {
      roleIds: [auditor],
    })
    assert.equal(await status(demoted), 200)
    assert.equal(await status(await writeWith(token)), 403)
    assert.equal(await status(await readWith(token)), 200)

    const tokens = await app.fetchAs(
      adminJwt,
      `/api/v3/query_sql?${new URLSearchParams({
        db: '_internal',
        q: "SELECT created_by_user_id FROM system.tokens WHERE name = 'mia-rw'",
      })}`,
    )
    assert.deepEqual(await tokens.json(), [{ created_by_user_id: memberId }])

    assert.equal(
      await status(await callAs(app, adminJwt, 'DELETE', `/api/v3/users/${memberId}`)),
      200,
    )
    assert.equal(await status(await readWith(token)), 401)
  })
})
