import type { HttpClient } from './http-client.js'
import { ServerError } from './http-client.js'

/** A user as `GET /api/v3/users` shows one, as far as the command line reads it. */
export interface UserSummary {
  readonly userId: number
  readonly username?: string
  readonly displayName?: string
  /** The user's subject at the identity provider, for users who sign in through it. */
  readonly oauthId?: string
  /** Absent for users who sign in only through an identity provider. */
  readonly requiresPasswordReset?: boolean
  readonly roleIds: readonly number[]
  /** Epoch seconds. */
  readonly createdAt: number
}

/** A role as `GET /api/v3/roles` and `/api/v3/roles_by_name/{name}` show one. */
export interface RoleSummary {
  readonly id: number
  readonly name: string
}

/**
 * Collects the values of a repeatable option such as `--role`.
 * @example new Option('--role <NAME>').argParser(collectValue)
 */
export function collectValue(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

/** Every user not deleted, from `GET /api/v3/users`. */
export async function listUsers(client: HttpClient): Promise<UserSummary[]> {
  const response = await client.send({ method: 'GET', path: '/api/v3/users' })
  return itemsOf(await response.json(), isUserSummary, 'users')
}

/**
 * The user named `username`, looked up in `GET /api/v3/users`.
 * @throws Error `no user named …` when there is none.
 */
export async function findUser(client: HttpClient, username: string): Promise<UserSummary> {
  const user = (await listUsers(client)).find((candidate) => candidate.username === username)
  if (user === undefined) throw new Error(`no user named ${username}`)

  return user
}

/** Every role, from `GET /api/v3/roles`. */
export async function listRoles(client: HttpClient): Promise<RoleSummary[]> {
  const response = await client.send({ method: 'GET', path: '/api/v3/roles' })
  return itemsOf(await response.json(), isRoleSummary, 'roles')
}

/**
 * The ids of the roles named `names`, exactly as the server spells them (`Admin`, `Auditor`,
 * `Member`), one `GET /api/v3/roles_by_name/{name}` each.
 * @throws Error `no role named …` for a name the server does not know.
 */
export async function roleIdsByName(
  client: HttpClient,
  names: readonly string[],
): Promise<number[]> {
  const ids: number[] = []
  for (const name of names) ids.push((await roleByName(client, name)).id)

  return ids
}

/** The names of `roleIds`, in the server's order; an id the server does not list shows as is. */
export function roleNames(roleIds: readonly number[], roles: readonly RoleSummary[]): string[] {
  return roleIds.map((id) => roles.find((role) => role.id === id)?.name ?? String(id))
}

/** The `{items: [...]}` of a role list answer, such as `PUT /api/v3/users/{id}/roles` gives. */
export async function readRoles(response: Response): Promise<RoleSummary[]> {
  return itemsOf(await response.json(), isRoleSummary, 'roles')
}

/** The `userId` of a user answer, such as `POST /api/v3/users` gives. */
export async function readUserId(response: Response): Promise<number> {
  const body: unknown = await response.json()
  if (!isUserSummary(body)) throw new Error('the server answered without a user')

  return body.userId
}

async function roleByName(client: HttpClient, name: string): Promise<RoleSummary> {
  const path = `/api/v3/roles_by_name/${encodeURIComponent(name)}`
  const response = await client.send({ method: 'GET', path }).catch((error: unknown) => {
    if (error instanceof ServerError && error.status === 404) {
      throw new Error(`no role named ${name} (role names are case-sensitive)`)
    }
    throw error
  })

  const body: unknown = await response.json()
  if (!isRoleSummary(body)) throw new Error('the server answered without a role')
  return body
}

function itemsOf<T>(body: unknown, isItem: (item: unknown) => item is T, what: string): T[] {
  const items = (body as { items?: unknown } | null)?.items
  if (!Array.isArray(items)) throw new Error(`the server answered without ${what}`)

  return items.filter(isItem)
}

function isUserSummary(value: unknown): value is UserSummary {
  if (typeof value !== 'object' || value === null) return false

  const fields = value as Record<string, unknown>
  return (
    typeof fields.userId === 'number' &&
    Array.isArray(fields.roleIds) &&
    typeof fields.createdAt === 'number'
  )
}

function isRoleSummary(value: unknown): value is RoleSummary {
  if (typeof value !== 'object' || value === null) return false

  const fields = value as Record<string, unknown>
  return typeof fields.id === 'number' && typeof fields.name === 'string'
}
