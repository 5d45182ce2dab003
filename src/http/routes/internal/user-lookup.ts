import { actorOf } from '../../../auth/index.js'
import type { RoleRecord, UserRecord } from '../../../catalog/index.js'
import { FluxgateError } from '../../../errors/index.js'
import type { ErrorCode } from '../../../errors/index.js'
import type { RouteRequest } from '../../route.js'
import type { ServerContext } from '../../server-context.js'
import { clientAddress } from './user-replies.js'

/** A change to a user, as the audit trail records it. Never a password or a token. */
export interface UserChange {
  action: string
  userId: number
  detail?: string
}

/** The `{id}` path segment as a user id; anything but a decimal number names no user (404). */
export function userIdParam(request: RouteRequest): number {
  return numericParam(request, 'id', 'ERR_USER_NOT_FOUND')
}

/** The `{id}` path segment as a role id (404 ERR_ROLE_NOT_FOUND when not a number). */
export function roleIdParam(request: RouteRequest): number {
  return numericParam(request, 'id', 'ERR_ROLE_NOT_FOUND')
}

/** The user with `id` unless deleted, or ERR_USER_NOT_FOUND (404). */
export function activeUser(context: ServerContext, id: number): UserRecord {
  const user = context.users.active(id)
  if (user === undefined) throw new FluxgateError('ERR_USER_NOT_FOUND', `user ${id} not found`)

  return user
}

/** The role with `id`, or ERR_ROLE_NOT_FOUND (404). */
export function roleById(context: ServerContext, id: number): RoleRecord {
  const role = context.users.roles().find((candidate) => candidate.id === id)
  if (role === undefined) throw new FluxgateError('ERR_ROLE_NOT_FOUND', `role ${id} not found`)

  return role
}

/** Records a successful change to a user, made by the request's principal. */
export function recordUserChange(
  request: RouteRequest,
  context: ServerContext,
  change: UserChange,
): void {
  context.audit.record({
    action: change.action,
    outcome: 'success',
    actor: actorOf(request.principal),
    target: `user:${change.userId}`,
    clientAddress: clientAddress(request),
    detail: change.detail,
  })
}

function numericParam(request: RouteRequest, name: string, notFound: ErrorCode): number {
  const value = request.params[name] ?? ''
  if (!/^\d{1,15}$/.test(value)) throw new FluxgateError(notFound)

  return Number(value)
}
