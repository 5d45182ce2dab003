import { spawnServer } from '../../test/support/server-process.js'
import type { ServerProcess } from '../../test/support/server-process.js'

/** One way of reaching a server: the headers every request of a measurement carries. */
export interface Target {
  label: string
  server: ServerProcess
  headers: Record<string, string>
}

/** A user made for the benchmark, with the password that signs them in. */
export interface BenchUser {
  username: string
  password: string
}

/** The server with password sign-in on, and the credentials the benchmark holds for it. */
export interface SignInServer {
  server: ServerProcess
  /** A resource token that may write to `bench` and read `/ping`. */
  apiToken: string
  /** Members (role 3), who may write to every database and read `/ping`. */
  users: BenchUser[]
}

const memberRoleId = 3

/**
 * Starts a server with `--user-auth-type basic` on `dataDir` and prepares it: the first admin
 * and the operator token, the `bench` database, a resource token and `userCount` members.
 */
export async function startSignInServer(dataDir: string, userCount: number): Promise<SignInServer> {
  const args = ['--data-dir', dataDir, '--node-id', 'auth', '--user-auth-type', 'basic']
  const server = await spawnServer(args)
  const admin = { username: 'bench-admin', password: passwordOf('admin') }
  const { operatorToken } = (await post(server, '/api/v3/configure/user', admin)) as {
    operatorToken: string
  }

  await post(server, '/api/v3/configure/database', { db: 'bench' }, operatorToken)
  const apiToken = await createResourceToken(server, operatorToken)
  const users = Array.from({ length: userCount }, (_, i) => ({
    username: `bench-member-${i}`,
    password: passwordOf(`member ${i}`),
  }))
  for (const user of users) {
    await post(server, '/api/v3/users', { ...user, roleIds: [memberRoleId] }, operatorToken)
  }

  return { server, apiToken, users }
}

/** Starts the same server kind `--without-auth`, the baseline every ratio divides by. */
export async function startOpenServer(dataDir: string): Promise<Target> {
  const server = await spawnServer(['--data-dir', dataDir, '--node-id', 'open', '--without-auth'])
  return { label: 'no auth', server, headers: {} }
}

/** Signs `user` in and answers the access token (a JWT). */
export async function signIn(server: ServerProcess, user: BenchUser): Promise<string> {
  const issued = (await post(server, '/api/v3/authorize', user)) as { token: string }
  return issued.token
}

/** Stops a server and waits until its process has exited. */
export async function stopServer(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM')
  await server.exited
}

async function createResourceToken(server: ServerProcess, operatorToken: string) {
  const created = (await post(
    server,
    '/api/v3/enterprise/configure/token',
    {
      token_name: 'bench-writer',
      permissions: [
        { resource_type: 'db', resource_names: ['bench'], actions: ['write'] },
        { resource_type: 'system', resource_names: ['ping'], actions: ['read'] },
      ],
    },
    operatorToken,
  )) as { token: string }
  return created.token
}

// The password policy wants 15 characters or more and neither the username nor the product name.
function passwordOf(who: string): string {
  return `a long passphrase kept for ${who} in the auth run`
}

async function post(
  server: ServerProcess,
  path: string,
  body: unknown,
  token?: string,
): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token !== undefined) headers.authorization = `Bearer ${token}`

  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${text}`)
  return text === '' ? undefined : (JSON.parse(text) as unknown)
}
