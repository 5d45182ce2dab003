import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { runCli, spawnServer } from './support/server-process.js'
import type { ServerProcess } from './support/server-process.js'

const password = 'correct horse battery staple'

interface CredentialsFile {
  servers: Record<string, { accessToken: string; refreshToken: string; expiresAt: number }>
}

describe('influxdb3 manage init-admin and auth, as processes', () => {
  let server: ServerProcess
  let home = ''

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'fluxgate-cli-auth-'))
    server = await spawnServer([
      '--user-auth-type',
      'basic',
      '--object-store',
      'memory',
      '--node-id',
      'cli-auth',
    ])
  })
  after(async () => {
    server.child.kill('SIGTERM')
    await server.exited
    await rm(home, { recursive: true, force: true })
  })

  /** Runs the CLI against the server with `HOME` in the temporary directory and no token. */
  function cli(args: string[], stdin?: string) {
    const env = { HOME: home, INFLUXDB3_AUTH_TOKEN: '', INFLUXDB3_HOST_URL: '' }
    return runCli([...args, '--host', server.url], { env, stdin })
  }

  const credentialsPath = () => join(home, '.influxdb3', 'credentials.json')

  async function storedSession() {
    const file = JSON.parse(await readFile(credentialsPath(), 'utf8')) as CredentialsFile
    return file.servers[server.url]
  }

  function whoamiWith(token: string): Promise<Response> {
    return fetch(`${server.url}/api/v3/authorize/whoami`, {
      headers: { authorization: `Bearer ${token}` },
    })
  }

  it('init-admin creates the first admin and prints the operator token once', async () => {
    const args = ['manage', 'init-admin', '--username', 'ada', '--password-stdin']
    const first = await cli(args, `${password}\n`)

    assert.equal(first.code, 0, first.stderr)
    const token = /^Operator token: (apiv3_\S+)$/m.exec(first.stdout)?.[1]
    assert.ok(token !== undefined, first.stdout)
    assert.match(first.stdout, /keep the operator token somewhere safe/)
    assert.doesNotMatch(first.stdout + first.stderr, new RegExp(password))
    const databases = await fetch(`${server.url}/api/v3/configure/database?format=json`, {
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(databases.status, 200)

    const second = await cli(args, `${password}\n`)
    assert.equal(second.code, 1)
    assert.match(second.stderr, /operator token already configured \(HTTP 409\)/)
    assert.doesNotMatch(second.stdout, /apiv3_/)
  })

  it('init-admin without a terminal and without --password-stdin is a usage error', async () => {
    const result = await cli(['manage', 'init-admin', '--username', 'bob'])

    assert.equal(result.code, 2)
    assert.match(result.stderr, /pass --password-stdin/)
  })

  it('a wrong password fails with exit code 1, says so, and stores nothing', async () => {
    const result = await cli(
      ['auth', 'login', '--username', 'ada', '--password-stdin'],
      'not the right passphrase\n',
    )

    assert.equal(result.code, 1)
    assert.equal(result.stderr, 'error: sign-in failed: wrong username or password\n')
    await assert.rejects(stat(credentialsPath()), { code: 'ENOENT' })
  })

  it('login stores the session in a 0600 file without the password', async () => {
    const result = await cli(
      ['auth', 'login', '--username', 'ada', '--password-stdin'],
      `${password}\r\n`,
    )

    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'signed in as ada\n')
    assert.equal((await stat(credentialsPath())).mode & 0o777, 0o600)
    assert.equal((await stat(join(home, '.influxdb3'))).mode & 0o777, 0o700)
    const text = await readFile(credentialsPath(), 'utf8')
    assert.doesNotMatch(text, new RegExp(password))
    const session = await storedSession()
    assert.ok(session !== undefined)
    assert.deepEqual(Object.keys(session).sort(), [
      'accessToken',
      'authType',
      'expiresAt',
      'refreshToken',
      'userId',
      'username',
    ])
    assert.doesNotMatch(result.stdout + result.stderr, /fgrt_|eyJ/)
  })

  it('later commands use the stored session without --token', async () => {
    const created = await cli(['create', 'database', 'viasession'])
    assert.equal(created.code, 0, created.stderr)

    const shown = await cli(['show', 'databases', '--format', 'json'])
    assert.equal(shown.code, 0, shown.stderr)
    assert.match(shown.stdout, /viasession/)

    const queried = await cli(['query', '-d', 'viasession', '--format', 'json', 'SELECT 1 AS one'])
    assert.equal(queried.code, 0, queried.stderr)
    assert.match(queried.stdout, /"one":\s*1/)
  })

  it('whoami prints the signed-in user', async () => {
    const result = await cli(['auth', 'whoami'])

    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^username: ada$/m)
    assert.match(result.stdout, /^user id: \d+$/m)
    assert.match(result.stdout, /^role ids: 1$/m)
  })

  it('refreshes an access token about to expire and stores the rotated pair', async () => {
    const before = await storedSession()
    assert.ok(before !== undefined)
    const file = JSON.parse(await readFile(credentialsPath(), 'utf8')) as CredentialsFile
    file.servers[server.url] = { ...before, expiresAt: Math.floor(Date.now() / 1000) + 60 }
    await writeFile(credentialsPath(), JSON.stringify(file), { mode: 0o600 })

    const result = await cli(['auth', 'whoami'])

    assert.equal(result.code, 0, result.stderr)
    const after = await storedSession()
    assert.ok(after !== undefined)
    assert.notEqual(after.accessToken, before.accessToken)
    assert.notEqual(after.refreshToken, before.refreshToken)
    assert.ok(after.expiresAt > Date.now() / 1000 + 300)
    assert.equal((await stat(credentialsPath())).mode & 0o777, 0o600)
  })

  it('logout ends the session on the server and forgets it here', async () => {
    const session = await storedSession()
    assert.ok(session !== undefined)
    assert.equal((await whoamiWith(session.accessToken)).status, 200)

    const result = await cli(['auth', 'logout'])

    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'signed out\n')
    assert.equal((await whoamiWith(session.accessToken)).status, 401)
    assert.equal(await storedSession(), undefined)

    const again = await cli(['auth', 'logout'])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /not signed in to/)
  })

  it('logout forgets the session even when the server refuses it', async () => {
    const login = await cli(
      ['auth', 'login', '--username', 'ada', '--password-stdin'],
      `${password}\n`,
    )
    assert.equal(login.code, 0, login.stderr)
    const session = await storedSession()
    assert.ok(session !== undefined)
    const ended = await fetch(`${server.url}/api/v3/authorize/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.accessToken}` },
    })
    assert.equal(ended.status, 204)

    const result = await cli(['auth', 'logout'])

    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /the server did not end the session/)
    assert.equal(await storedSession(), undefined)
  })
})
