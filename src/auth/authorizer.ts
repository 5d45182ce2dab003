import type { Permission } from './permission.js'
import { isAdmin } from './permission.js'
import type { Access, Decision, Principal } from './principal.js'

const allowed: Decision = { allowed: true }
const noGrant: Decision = { allowed: false, reason: 'no_grant' }

/**
 * The one authorization decision of Fluxgate: every endpoint asks it, none decides by itself.
 * Grants are read from the principal on every call, so a change applies to the next request.
 */
export function authorize(principal: Principal, access: Access): Decision {
  if (principal.kind === 'anonymous') {
    return principal.unrestricted ? allowed : { allowed: false, reason: 'not_authenticated' }
  }

  const permissions = principal.token.permissions
  if (isAdmin(permissions)) return allowed
  if (access.kind === 'admin') return noGrant
  if (access.kind === 'system')
    return systemGranted(permissions, access.resource) ? allowed : noGrant

  return databaseGranted(permissions, access) ? allowed : noGrant
}

function systemGranted(permissions: Permission[], resource: string): boolean {
  return permissions.some(
    (p) =>
      p.resourceType === 'system' && (p.names === '*' || (p.names as string[]).includes(resource)),
  )
}

/** Every requested action must be granted on that database or on all databases. */
function databaseGranted(
  permissions: Permission[],
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
