import type { RoleRecord, UserRecord, UserStore } from '../catalog/index.js'
import { FluxgateError, isFluxgateError } from '../errors/index.js'
import { adminRoleId, builtInRoles } from './roles.js'

/** A new user as the API and the bootstrap give it; the password is already hashed. */
export interface NewUser {
  username?: string
  displayName?: string
  passwordHash?: string
  oauthId?: string
  requiresPasswordReset?: boolean
  roleIds: number[]
}

/**
 * The users of the server, kept in memory over the catalog so that every request can check its
 * user's current state with a lookup. All changes go through here: the last active admin can
 * neither be deleted nor lose the Admin role.
 */
export class UserDirectory {
  readonly #store: UserStore
  readonly #byId = new Map<number, UserRecord>()
  // Active users only: every sign-in and every provider token looks a user up by these.
  readonly #byUsername = new Map<string, UserRecord>()
  readonly #byOauthId = new Map<string, UserRecord>()
  /** Loaded once: roles are built in, and nothing changes them while the server runs. */
  readonly #roles: readonly RoleRecord[]

  constructor(store: UserStore) {
    this.#store = store
    for (const user of store.loadUsers()) this.#remember(user)
    this.#roles = store.loadRoles()
  }

  /** Every role, by id. */
  roles(): RoleRecord[] {
    return [...this.#roles]
  }

  /** The user with `id` unless deleted. */
  active(id: number): UserRecord | undefined {
    const user = this.#byId.get(id)
    return user?.deletedAt === undefined ? user : undefined
  }

  byUsername(username: string): UserRecord | undefined {
    return this.#byUsername.get(username)
  }

  byOauthId(oauthId: string): UserRecord | undefined {
    return this.#byOauthId.get(oauthId)
  }

  /** Users not deleted, by id. */
  list(): UserRecord[] {
    return [...this.#byId.values()].filter((user) => user.deletedAt === undefined)
  }

  /** True once any user was ever created. */
  isEmpty(): boolean {
    return this.#byId.size === 0
  }

  create(user: NewUser, at: Date): UserRecord {
    assertKnownRoles(user.roleIds)
    try {
      return this.#remember(this.#store.insertUser({ ...user, at }))
    } catch (error) {
      if (!isFluxgateError(error, 'ERR_ALREADY_EXISTS')) throw error
      throw new FluxgateError('ERR_USER_EXISTS', error.detail)
    }
  }

  update(
    id: number,
    changes: { displayName?: string; passwordHash?: string; requiresPasswordReset?: boolean },
    at: Date,
  ): UserRecord {
    this.#existing(id)
    return this.#remember(this.#store.updateUser(id, changes, at))
  }

  setRoles(id: number, roleIds: number[], at: Date): UserRecord {
    const user = this.#existing(id)
    assertKnownRoles(roleIds)
    if (!roleIds.includes(adminRoleId)) this.#assertNotLastAdmin(user)

    return this.#remember(this.#store.setUserRoles(id, [...new Set(roleIds)], at))
  }

  delete(id: number, at: Date): UserRecord {
    this.#assertNotLastAdmin(this.#existing(id))
    return this.#remember(this.#store.markUserDeleted(id, at))
  }

  #existing(id: number): UserRecord {
    const user = this.active(id)
    if (user === undefined) throw new FluxgateError('ERR_USER_NOT_FOUND', `user ${id} not found`)

    return user
  }

  #assertNotLastAdmin(user: UserRecord): void {
    if (!user.roleIds.includes(adminRoleId)) return

    const otherAdmins = this.list().filter(
      (other) => other.id !== user.id && other.roleIds.includes(adminRoleId),
    )
    if (otherAdmins.length === 0) throw new FluxgateError('ERR_LAST_ADMIN')
  }

  #remember(user: UserRecord): UserRecord {
    const previous = this.#byId.get(user.id)
    forgetIfHeld(this.#byUsername, previous?.username, user.id)
    forgetIfHeld(this.#byOauthId, previous?.oauthId, user.id)

    this.#byId.set(user.id, user)
    if (user.deletedAt !== undefined) return user
    if (user.username !== undefined) this.#byUsername.set(user.username, user)
    if (user.oauthId !== undefined) this.#byOauthId.set(user.oauthId, user)
    return user
  }
}

// A deleted user's name may belong to a newer user by now: only the user's own entry goes.
function forgetIfHeld(map: Map<string, UserRecord>, key: string | undefined, id: number): void {
  if (key !== undefined && map.get(key)?.id === id) map.delete(key)
}

function assertKnownRoles(roleIds: readonly number[]): void {
  const unknown = roleIds.find((id) => !builtInRoles.some((role) => role.id === id))
  if (unknown !== undefined) {
    throw new FluxgateError('ERR_ROLE_NOT_FOUND', `role ${unknown} not found`)
  }
}
