import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { decodeJwt } from 'jose'

import { run } from '../src/cli/main.js'
import { memoryIo } from '../src/cli/memory-io.js'
import { withPerson } from './support/device-person.js'
import { oauthServerFlags, startTestIdentityProvider } from './support/oidc-provider.js'
import type { TestIdentityProvider } from './support/oidc-provider.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

/**
 * The whole path of a person who only has an account at the identity provider: a server with
 * OAuth sign-in alone, its first admin named by subject, users managed by subject, and the CLI
 * signing in with the device flow and then working with the provider's token.
 */
describe('OAuth-only server, end to end through the CLI', () => {
  let idp: TestIdentityProvider
  let app: TestServer
  let home = ''
  let operatorToken = ''

  const cli = async (args: string[]) => {
    const mem = memoryIo({ env: { HOME: home, INFLUXDB3_HOST_URL: app.url } })
    const code = await run(args, mem.io)
    return { code, stdout: mem.stdout(), stderr: mem.stderr() }
  }

  const deviceLogin = async (sub: string) => {
    idp.signInAs(sub)
    const mem = memoryIo({ env: { HOME: home, INFLUXDB3_HOST_URL: app.url } })
    const { page, outcome } = await withPerson(
      mem,
      'approve',
      run(['auth', 'login', '--oauth'], mem.io),
    )
    assert.match(page.body, /Sign-in Success/)
    assert.ok(outcome.ok && outcome.value === 0, mem.stderr())
    return mem.stdout()
  }

  const storedToken = async () => {
    const file = JSON.parse(
      await readFile(join(home, '.influxdb3', 'credentials.json'), 'utf8'),
    ) as { servers: Record<string, { accessToken: string } | undefined> }
    return file.servers[app.url]?.accessToken
  }

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'fluxgate-oauth-e2e-'))
    idp = await startTestIdentityProvider({
      accounts: [{ sub: 'ada-0001' }, { sub: 'grace-0002' }, { sub: 'eve-0003' }],
      audience: 'https://fluxgate.test/api',
      revocation: true,
      deviceCodeInterval: 0.05,
    })
    app = await startTestServer({
      ...oauthServerFlags(idp),
      fresh: true,
    })
  })
  after(async () => {
    await app.close()
    await idp.close()
    await rm(home, { recursive: true, force: true })
  })

  it('bootstraps the first admin by subject and prints the operator token', async () => {
    const out = await cli(['manage', 'init-admin', '--oauth-id', 'ada-0001'])
    assert.equal(out.code, 0, out.stderr)
    const token = /apiv3_[\w-]{86}/.exec(out.stdout)?.[0]
    assert.ok(token !== undefined, out.stdout)
    operatorToken = token
  })

  it('refuses password sign-in on an OAuth-only server with the compatible 503', async () => {
    const res = await fetch(`${app.url}/api/v3/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ada', password: 'correct horse battery staple' }),
    })
    assert.equal(res.status, 503)
    assert.equal(await res.text(), '{"error":"user authentication is not enabled on this server"}')
  })

  it('manages users by subject with the operator token', async () => {
    const created = await cli([
      'create',
      'user',
      '--oauth-id',
      'grace-0002',
      '--role',
      'Member',
      '--token',
      operatorToken,
    ])
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout, /^created user with subject grace-0002 \(id \d+\)\n$/)

    const listed = await cli(['show', 'users', '--format', 'json', '--token', operatorToken])
    assert.equal(listed.code, 0, listed.stderr)
    const users = JSON.parse(listed.stdout) as Array<{ oauth_id: string; roles: unknown }>
    assert.deepEqual(
      users.map((user) => [user.oauth_id, user.roles]),
      [
        ['ada-0001', ['Admin']],
        ['grace-0002', ['Member']],
      ],
    )
  })

  it('signs the admin in with the device flow and works with the provider token', async () => {
    const out = await deviceLogin('ada-0001')
    assert.equal(out, `signed in through ${idp.issuer}\n`)
    const token = await storedToken()
    assert.equal(decodeJwt(String(token)).iss, idp.issuer)

    const whoami = await cli(['auth', 'whoami'])
    assert.equal(whoami.code, 0, whoami.stderr)
    assert.match(whoami.stdout, /ada-0001/)

    assert.equal((await cli(['create', 'database', 'sso'])).code, 0)
    const wrote = await cli([
      'write',
      '--database',
      'sso',
      'cpu,host=a usage=0.5 1700000000000000000',
    ])
    assert.equal(wrote.code, 0, wrote.stderr)
    const queried = await cli([
      'query',
      '--database',
      'sso',
      '--format',
      'json',
      'SELECT host, usage FROM cpu',
    ])
    assert.equal(queried.code, 0, queried.stderr)
    assert.deepEqual(JSON.parse(queried.stdout), [{ host: 'a', usage: 0.5 }])
  })

  it('gives a Member signed in by device flow a Member’s rights only', async () => {
    await deviceLogin('grace-0002')

    const read = await cli([
      'query',
      '--database',
      'sso',
      '--format',
      'json',
      'SELECT count(*) AS n FROM cpu',
    ])
    assert.equal(read.code, 0, read.stderr)
    assert.deepEqual(JSON.parse(read.stdout), [{ n: 1 }])
    const made = await cli(['create', 'user', '--oauth-id', 'eve-0003', '--role', 'Admin'])
    assert.notEqual(made.code, 0)
    assert.match(made.stderr, /403|not authorized|unauthorized/i)
  })

  it('refreshes an expired session through the provider and goes on working', async () => {
    await deviceLogin('grace-0002')
    const before = await storedToken()
    const file = join(home, '.influxdb3', 'credentials.json')
    const stored = JSON.parse(await readFile(file, 'utf8')) as {
      servers: Record<string, { expiresAt: number }>
    }
    const session = stored.servers[app.url]
    assert.ok(session !== undefined)
    session.expiresAt = Math.floor(Date.now() / 1000) - 60
    await writeFile(file, JSON.stringify(stored), { mode: 0o600 })

    const whoami = await cli(['auth', 'whoami'])

    assert.equal(whoami.code, 0, whoami.stderr)
    assert.match(whoami.stdout, /grace-0002/)
    const after = await storedToken()
    assert.notEqual(after, before)
    assert.equal(decodeJwt(String(after)).sub, 'grace-0002')
    const res = await app.fetchAs(after, '/api/v3/configure/database?format=json')
    assert.equal(res.status, 200)
  })

  it('refuses a subject the server does not know, at the API', async () => {
    await deviceLogin('eve-0003')
    const res = await app.fetchAs(await storedToken(), '/api/v3/configure/database?format=json')
    assert.equal(res.status, 401)
  })

  it('logout ends the token’s session on the server and forgets it here', async () => {
    await deviceLogin('grace-0002')
    const token = await storedToken()
    const databases = '/api/v3/configure/database?format=json'
    assert.equal((await app.fetchAs(token, databases)).status, 200)

    const out = await cli(['auth', 'logout'])

    assert.equal(out.code, 0, out.stderr)
    assert.equal(out.stderr, '')
    assert.equal(await storedToken(), undefined)
    assert.equal((await app.fetchAs(token, databases)).status, 401)
  })
})
