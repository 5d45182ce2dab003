import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { runCli, spawnServer } from './support/server-process.js'
import type { ServerProcess } from './support/server-process.js'

const adminPassword = 'admin passphrase for cli users'
const memberPassword = 'member passphrase for cli users'
const auditorPassword = 'auditor passphrase for cli users'
const newPassword = 'a brand new passphrase after the reset'

/** A row of `show users --format json`. */
interface UserRow {
  user_id: number
  username: string | null
  display_name: string | null
  roles: string[]
  requires_password_reset: boolean | null
  created_at: string
}

describe('influxdb3 user management, as processes', () => {
  let server: ServerProcess
  let root = ''
  let adminHome = ''
  let memberHome = ''

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fluxgate-cli-users-'))
    adminHome = join(root, 'admin')
    memberHome = join(root, 'member')
    server = await spawnServer([
      '--user-auth-type',
      'basic',
      '--object-store',
      'memory',
      '--node-id',
      'cli-users',
    ])
  })
  after(async () => {
    server.child.kill('SIGTERM')
    await server.exited
    await rm(root, { recursive: true, force: true })
  })

  /** Runs the CLI against the server with `HOME` set to `home` and no token. */
  function cliIn(home: string, args: string[], stdin?: string) {
    const env = { HOME: home, INFLUXDB3_AUTH_TOKEN: '', INFLUXDB3_HOST_URL: '' }
    return runCli([...args, '--host', server.url], { env, stdin })
  }

  const admin = (args: string[], stdin?: string) => cliIn(adminHome, args, stdin)
  const member = (args: string[], stdin?: string) => cliIn(memberHome, args, stdin)

  async function showUsers(): Promise<UserRow[]> {
    const result = await admin(['show', 'users', '--format', 'json'])
    assert.equal(result.code, 0, result.stderr)
    return JSON.parse(result.stdout) as UserRow[]
  }

  async function rowOf(username: string): Promise<UserRow | undefined> {
    return (await showUsers()).find((row) => row.username === username)
  }

  async function storedHosts(home: string): Promise<string[]> {
    const text = await readFile(join(home, '.influxdb3', 'credentials.json'), 'utf8')
    return Object.keys((JSON.parse(text) as { servers: object }).servers)
  }

  function assertNoSecrets(result: { stdout: string; stderr: string }): void {
    for (const secret of [adminPassword, memberPassword, auditorPassword, newPassword]) {
      assert.ok(!(result.stdout + result.stderr).includes(secret))
    }
    assert.doesNotMatch(result.stdout + result.stderr, /fgrt_|eyJ/)
  }

  it('signs the first admin in', async () => {
    const init = await admin(
      ['manage', 'init-admin', '--username', 'ada', '--password-stdin'],
      `${adminPassword}\n`,
    )
    assert.equal(init.code, 0, init.stderr)

    const login = await admin(
      ['auth', 'login', '--username', 'ada', '--password-stdin'],
      `${adminPassword}\n`,
    )
    assert.equal(login.code, 0, login.stderr)
  })

  it('creates a Member and an Auditor with the stored session', async () => {
    const mia = await admin(
      ['create', 'user', '--username', 'mia', '--role', 'Member', '--password-stdin'],
      `${memberPassword}\n`,
    )
    const otto = await admin(
      ['create', 'user', '--username', 'otto', '--role', 'Auditor', '--password-stdin'],
      `${auditorPassword}\n`,
    )

    assert.equal(mia.code, 0, mia.stderr)
    assert.match(mia.stdout, /^created user mia \(id \d+\)\n$/)
    assert.equal(otto.code, 0, otto.stderr)
    assert.match(otto.stdout, /^created user otto \(id \d+\)\n$/)
    assertNoSecrets(mia)
  })

  it('show users lists every user with role names', async () => {
    const rows = await showUsers()

    const roles = rows.map((row) => `${row.username ?? ''}:${row.roles.join(',')}`)
    assert.deepEqual(roles.sort(), ['ada:Admin', 'mia:Member', 'otto:Auditor'])
    const mia = rows.find((row) => row.username === 'mia')
    assert.equal(mia?.requires_password_reset, false)
    assert.match(mia?.created_at ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

    const pretty = await admin(['show', 'users'])
    assert.equal(pretty.code, 0, pretty.stderr)
    assert.match(pretty.stdout, /^\| user_id \| username \| display_name \| roles /m)
    assert.match(pretty.stdout, /\| mia +\|/)

    const csv = await admin(['show', 'users', '--format', 'csv'])
    assert.match(
      csv.stdout,
      /^user_id,username,display_name,roles,oauth_id,requires_password_reset,/,
    )
  })

  it('update user changes the display name', async () => {
    const result = await admin(['update', 'user', '--username', 'mia', '--display-name', 'Mia M'])

    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'updated user mia\n')
    assert.equal((await rowOf('mia'))?.display_name, 'Mia M')
  })

  it('a Member creates a resource token with its own stored session', async () => {
    const login = await member(
      ['auth', 'login', '--username', 'mia', '--password-stdin'],
      `${memberPassword}\n`,
    )
    assert.equal(login.code, 0, login.stderr)
    const database = await member(['create', 'database', 'x'])
    assert.equal(database.code, 0, database.stderr)

    const created = await member([
      'create',
      'token',
      '--name',
      't',
      '--permission',
      'db:x:read',
      '--format',
      'json',
    ])

    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout, /apiv3_/)
  })

  it('update user-roles turns the Member into an Auditor', async () => {
    const result = await admin(['update', 'user-roles', '--username', 'mia', '--role', 'Auditor'])

    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'user mia now holds role Auditor\n')
    assert.deepEqual((await rowOf('mia'))?.roles, ['Auditor'])
  })

  it('update user-roles needs --role or --no-roles', async () => {
    const neither = await admin(['update', 'user-roles', '--username', 'mia'])
    const both = await admin([
      'update',
      'user-roles',
      '--username',
      'mia',
      '--role',
      'Member',
      '--no-roles',
    ])

    assert.equal(neither.code, 2)
    assert.match(neither.stderr, /pass --role at least once, or --no-roles/)
    assert.equal(both.code, 2)
  })

  it('after require-password-reset, sign-in fails until the password is changed', async () => {
    const required = await admin(['user', 'require-password-reset', '--username', 'mia'])
    assert.equal(required.code, 0, required.stderr)
    assert.equal((await rowOf('mia'))?.requires_password_reset, true)

    const refused = await member(
      ['auth', 'login', '--username', 'mia', '--password-stdin'],
      `${memberPassword}\n`,
    )
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /the password must be reset before signing in/)
    assert.match(refused.stderr, /auth reset-password/)

    const reset = await member(
      ['auth', 'reset-password', '--password-stdin'],
      `${memberPassword}\n${newPassword}\n`,
    )
    assert.equal(reset.code, 0, reset.stderr)
    assert.equal(reset.stdout, 'password changed; sign in again\n')
    assertNoSecrets(reset)
    assert.deepEqual(await storedHosts(memberHome), [])

    const login = await member(
      ['auth', 'login', '--username', 'mia', '--password-stdin'],
      `${newPassword}\n`,
    )
    assert.equal(login.code, 0, login.stderr)
  })

  it('reset-password with a wrong current password fails with exit code 1', async () => {
    const result = await member(
      ['auth', 'reset-password', '--username', 'mia', '--password-stdin'],
      `not the password\n${memberPassword}\n`,
    )

    assert.equal(result.code, 1)
    assert.match(result.stderr, /wrong username or current password/)
    assert.deepEqual(await storedHosts(memberHome), [server.url])
  })

  it('delete user with --yes removes the user', async () => {
    const result = await admin(['delete', 'user', '--username', 'otto', '--yes'])

    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'deleted user otto\n')
    assert.equal(await rowOf('otto'), undefined)
  })

  describe('errors', () => {
    it('an unknown username is exit code 1, naming it', async () => {
      const commands = [
        ['update', 'user', '--username', 'nobody', '--display-name', 'N'],
        ['update', 'user-roles', '--username', 'nobody', '--role', 'Member'],
        ['user', 'require-password-reset', '--username', 'nobody'],
        ['delete', 'user', '--username', 'nobody', '--yes'],
      ]
      for (const args of commands) {
        const result = await admin(args)

        assert.equal(result.code, 1, args.join(' '))
        assert.equal(result.stderr, 'error: no user named nobody\n')
      }
    })

    it('an unknown role name is exit code 1 and creates nothing', async () => {
      const result = await admin(
        ['create', 'user', '--username', 'eve', '--role', 'member', '--password-stdin'],
        'eve passphrase for tests\n',
      )

      assert.equal(result.code, 1)
      assert.match(result.stderr, /no role named member/)
      assert.equal(await rowOf('eve'), undefined)
    })

    it('a taken username prints the server message', async () => {
      const result = await admin(
        ['create', 'user', '--username', 'mia', '--password-stdin'],
        'another passphrase\n',
      )

      assert.equal(result.code, 1)
      assert.match(result.stderr, /\(HTTP 409\)/)
    })

    it('delete user without --yes and without a terminal is a usage error', async () => {
      const result = await admin(['delete', 'user', '--username', 'mia'])

      assert.equal(result.code, 2)
      assert.match(result.stderr, /refusing to delete user "mia" without confirmation/)
      assert.notEqual(await rowOf('mia'), undefined)
    })

    it('create user without a terminal and without --password-stdin is a usage error', async () => {
      const result = await admin(['create', 'user', '--username', 'zed'])

      assert.equal(result.code, 2)
      assert.match(result.stderr, /pass --password-stdin/)
    })
  })
})
