import { userMay } from './authorizer.js'
import type { Permission } from './permission.js'
import type { Access, Principal } from './principal.js'

/**
 * True when `principal` may hand out every one of `permissions`: a signed-in user only what
 * their roles let them do themselves, so no token of theirs is broader than they are. Other
 * principals reach token creation only as admins.
 */
export function mayGrant(
  principal: Principal,
  permissions: readonly Permission[],
  internalDatabaseId: number | undefined,
): boolean {
  if (principal.kind !== 'user') return true

  return permissions.every((permission) =>
    accessesOf(permission, internalDatabaseId).every((access) =>
      userMay(principal.capabilities, access, principal.userId),
    ),
  )
}

// `_internal` is its own kind of access: granting it needs the right to read it.
function accessesOf(permission: Permission, internalDatabaseId: number | undefined): Access[] {
  switch (permission.resourceType) {
    case 'admin':
      return [{ kind: 'admin' }]
    case 'system':
      return (
        permission.names === '*'
          ? (['health', 'metrics', 'ping', 'ready'] as const)
          : permission.names
      ).map((resource) => ({ kind: 'system', resource }))
    case 'db':
      return permission.databases === '*'
        ? [{ kind: 'database', databaseId: undefined, actions: permission.actions }]
        : permission.databases.map((databaseId): Access =>
            databaseId === internalDatabaseId
              ? { kind: 'internal', actions: permission.actions }
              : { kind: 'database', databaseId, actions: permission.actions },
          )
  }
}
