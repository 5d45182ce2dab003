import type { Permission } from './permission.js'
import { isAdmin } from './permission.js'
import type { Access, Decision, Principal, TokenPrincipal } from './principal.js'
import type { RoleCapabilities } from './roles.js'

const allowed: Decision = { allowed: true }
const noGrant: Decision = { allowed: false, reason: 'no_grant' }

/**
 * The one authorization decision of Fluxgate: every endpoint asks it, none decides by itself.
 * Grants are read from the principal on every call, and the gate builds the principal from the
 * catalog's current state, so a change applies to the next request.
 */
export function authorize(principal: Principal, access: Access): Decision {
  switch (principal.kind) {
    case 'anonymous':
      return principal.unrestricted ? allowed : { allowed: false, reason: 'not_authenticated' }
    case 'user':
      return decide(userMay(principal.capabilities, access, principal.userId))
    case 'token':
      return decide(tokenMay(principal, access))
  }
}

function decide(may: boolean): Decision {
  return may ? allowed : noGrant
}

// A token a user created never does more than that user may do now.
function tokenMay(principal: TokenPrincipal, access: Access): boolean {
  if (!grantsAllow(principal.token.permissions, access)) return false

  return principal.creator === undefined || userMay(principal.creator, access, undefined)
}

function grantsAllow(permissions: readonly Permission[], access: Access): boolean {
  if (isAdmin(permissions)) return true

  switch (access.kind) {
    case 'system':
      return systemGranted(permissions, access.resource)
    case 'database':
      return databaseGranted(permissions, access)
    default:
      return false
  }
}

/** What a user may do; everyone may see and manage their own account. */
export function userMay(
  capabilities: RoleCapabilities,
  access: Access,
  ownUserId: number | undefined,
): boolean {
  if (capabilities.all) return true

  switch (access.kind) {
    case 'database':
      return access.actions.every((action) => capabilities.databases.includes(action))
    case 'internal':
      return access.actions.every((action) => capabilities.internal.includes(action))
    case 'system':
      return capabilities.system.includes(access.resource)
    case 'admin':
      return false
    case 'user':
      return (
        (ownUserId !== undefined && access.userId === ownUserId) ||
        capabilities.users.includes(access.action)
      )
    case 'role':
      return capabilities.roles.includes(access.action)
    case 'token':
      return capabilities.tokens.includes(access.action)
  }
}

function systemGranted(permissions: readonly Permission[], resource: string): boolean {
  return permissions.some(
    (p) =>
      p.resourceType === 'system' && (p.names === '*' || (p.names as string[]).includes(resource)),
  )
}

/** Every requested action must be granted on that database or on all databases. */
function databaseGranted(
  permissions: readonly Permission[],
  access: Access & { kind: 'database' },
): boolean {
  const granted = new Set<string>()
  for (const p of permissions) {
    if (p.resourceType !== 'db') continue
    const covers =
      p.databases === '*' ||
      (access.databaseId !== undefined && p.databases.includes(access.databaseId))
    if (covers) for (const action of p.actions) granted.add(action)
  }
  return access.actions.every((action) => granted.has(action))
}
