import type { UserRecord } from '../catalog/index.js'
import type { ApiTokenRecord } from './api-token-record.js'
import type { DatabaseAction, SystemResource } from './permission.js'
import { capabilitiesOf } from './roles.js'
import type { ManagementAction, RoleCapabilities } from './roles.js'

/** A signed-in user, as their session and their current roles make them. */
export interface UserPrincipal {
  kind: 'user'
  userId: number
  username: string | undefined
  sessionId: string
  roleIds: readonly number[]
  capabilities: RoleCapabilities
}

/** The principal of `user` in session `sessionId`, with the roles the user holds now. */
export function userPrincipal(user: UserRecord, sessionId: string): UserPrincipal {
  return {
    kind: 'user',
    userId: user.id,
    username: user.username,
    sessionId,
    roleIds: user.roleIds,
    capabilities: capabilitiesOf(user.roleIds),
  }
}

/**
 * An `apiv3_` token. A token a user created is also bounded by what that user may do now:
 * `creator` holds the user's current capabilities.
 */
export interface TokenPrincipal {
  kind: 'token'
  token: ApiTokenRecord
  creator?: RoleCapabilities
}

/**
 * Whoever a request acts for. `anonymous` is unrestricted only on a server started
 * `--without-auth`; otherwise it reaches only public and exempted endpoints.
 */
export type Principal =
  TokenPrincipal | UserPrincipal | { kind: 'anonymous'; unrestricted: boolean }

/**
 * What a request wants to do. A database that does not exist yet has no id, so only a grant on
 * every database (`db:*`) covers it. `_internal` is its own kind: it holds the system tables.
 * Users, roles and resource tokens are managed with the reference's actions; `userId` names the
 * account concerned, since everyone may see and manage their own.
 */
export type Access =
  | { kind: 'database'; databaseId: number | undefined; actions: DatabaseAction[] }
  | { kind: 'internal'; actions: DatabaseAction[] }
  | { kind: 'system'; resource: SystemResource }
  | { kind: 'admin' }
  | { kind: 'user'; action: ManagementAction; userId: number | undefined }
  | { kind: 'role'; action: ManagementAction }
  | { kind: 'token'; action: ManagementAction }

/** The outcome of one authorization. */
export type Decision =
  { allowed: true } | { allowed: false; reason: 'no_grant' | 'not_authenticated' }
