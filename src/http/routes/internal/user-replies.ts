import type { RoleRecord, SessionRecord, UserRecord } from '../../../catalog/index.js'
import type { SessionManager, UserPrincipal } from '../../../auth/index.js'
import { FluxgateError } from '../../../errors/index.js'
import type { RouteRequest } from '../../route.js'
import type { ServerContext } from '../../server-context.js'

/** A user as the API shows it (camelCase, times in epoch seconds), never the password hash. */
export interface UserResponse {
  userId: number
  username?: string
  displayName?: string
  requiresPasswordReset?: boolean
  oauthId?: string
  roleIds: number[]
  createdAt: number
  updatedAt: number
  deletedAt?: number
  operatorToken?: string
}

export function userResponse(user: UserRecord): UserResponse {
  return {
    userId: user.id,
    ...(user.username === undefined ? {} : { username: user.username }),
    ...(user.displayName === undefined ? {} : { displayName: user.displayName }),
    ...(user.passwordHash === undefined
      ? {}
      : { requiresPasswordReset: user.requiresPasswordReset }),
    ...(user.oauthId === undefined ? {} : { oauthId: user.oauthId }),
    roleIds: [...user.roleIds],
    createdAt: epochSeconds(user.createdAt),
    updatedAt: epochSeconds(user.updatedAt),
    ...(user.deletedAt === undefined ? {} : { deletedAt: epochSeconds(user.deletedAt) }),
  }
}

/** A role as the API shows it. */
export function roleResponse(role: RoleRecord) {
  return {
    id: role.id,
    name: role.name,
    isRequiredRole: role.isRequiredRole,
    description: role.description,
    createdAt: epochSeconds(role.createdAt),
    updatedAt: epochSeconds(role.updatedAt),
  }
}

/** The roles a user holds, by id; ids the catalog does not know are left out. */
export function rolesOfUser(context: ServerContext, user: UserRecord): RoleRecord[] {
  return context.users.roles().filter((role) => user.roleIds.includes(role.id))
}

/** A live session as the API shows it; `current` marks the session of the request. */
export function sessionResponse(session: SessionRecord, currentSessionId: string | undefined) {
  return {
    sessionId: session.id,
    createdAt: epochSeconds(session.createdAt),
    expiresAt: epochSeconds(session.expiresAt),
    lastUsedAt: epochSeconds(session.lastUsedAt),
    clientAddress: session.clientAddress ?? null,
    current: session.id === currentSessionId,
  }
}

export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

/** The session manager, or ERR_USER_AUTH_DISABLED (503) when password sign-in is off. */
export function sessionsOf(context: ServerContext): SessionManager {
  if (context.sessions === undefined) throw new FluxgateError('ERR_USER_AUTH_DISABLED')
  return context.sessions
}

/** The signed-in user making the request; other principals are refused (403). */
export function signedInUser(request: RouteRequest): UserPrincipal {
  if (request.principal.kind !== 'user') throw new FluxgateError('ERR_AUTH_FORBIDDEN')
  return request.principal
}

/** The client's address as the audit trail and the throttle see it. */
export function clientAddress(request: RouteRequest): string {
  return request.remoteAddress ?? 'unknown'
}
