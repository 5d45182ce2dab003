/** What a token may do to databases. */
export type DatabaseAction = 'read' | 'write' | 'create' | 'describe' | 'delete'

/** The system endpoints a token may be granted. */
export type SystemResource = 'health' | 'metrics' | 'ping' | 'ready'

export const databaseActions: DatabaseAction[] = ['read', 'write', 'create', 'describe', 'delete']
export const systemResources: SystemResource[] = ['health', 'metrics', 'ping', 'ready']

/**
 * One grant of a token. Databases are held by id, so a database deleted and created again under
 * the same name is not covered by old grants.
 */
export type Permission =
  | { resourceType: 'admin' }
  | { resourceType: 'db'; databases: '*' | number[]; actions: DatabaseAction[] }
  | { resourceType: 'system'; names: '*' | SystemResource[] }

/** The permission of admin tokens, written `*:*:*`. */
export const adminPermission: Permission = { resourceType: 'admin' }

/** True when the grants include the admin permission. */
export function isAdmin(permissions: readonly Permission[]): boolean {
  return permissions.some((p) => p.resourceType === 'admin')
}

/** Renders a permission in the short form, naming databases by `nameOf`. */
export function formatPermission(
  p: Permission,
  nameOf: (id: number) => string | undefined,
): string {
  if (p.resourceType === 'admin') return '*:*:*'
  if (p.resourceType === 'system') {
    return `system:${p.names === '*' ? '*' : p.names.join(',')}:read`
  }

  const names =
    p.databases === '*' ? '*' : p.databases.map((id) => nameOf(id) ?? `#${id}`).join(',')
  return `db:${names}:${p.actions.join(',')}`
}
