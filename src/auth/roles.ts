import type { DatabaseAction, SystemResource } from './permission.js'

/** The names of Fluxgate's built-in roles. */
export type BuiltInRoleName = 'Admin' | 'Auditor' | 'Member'

/** What a user may do to users, roles and tokens, in the reference's vocabulary. */
export type ManagementAction = 'read' | 'create' | 'update' | 'delete'

/**
 * The capabilities of one role. Users hold the union of their roles' capabilities, evaluated on
 * every request, so a role change applies to the next one.
 */
export interface RoleCapabilities {
  /** Everything, as an admin token. */
  all: boolean
  /** Actions on every database except `_internal`. */
  databases: readonly DatabaseAction[]
  /** Actions on `_internal`, whose system tables include the audit trail. */
  internal: readonly DatabaseAction[]
  /** Resource tokens: `read` lists them, `create` and `delete` manage them. */
  tokens: readonly ManagementAction[]
  users: readonly ManagementAction[]
  roles: readonly ManagementAction[]
  system: readonly SystemResource[]
}

/** A permission as `GET /api/v3/roles/{id}/permissions` renders it (snake_case actions). */
export interface ApiPermission {
  resourceType: 'database' | 'token' | 'user' | 'role' | 'admin_token' | 'system'
  actions: string[]
  identifiers?: string[]
  allResources?: boolean
}

/** A built-in role: its fixed id in the catalog, and what it may do. */
export interface BuiltInRole {
  id: number
  name: BuiltInRoleName
  capabilities: RoleCapabilities
}

const everySystemResource: SystemResource[] = ['health', 'metrics', 'ping', 'ready']
const readOnly: DatabaseAction[] = ['read', 'describe']

const admin: BuiltInRole = {
  id: 1,
  name: 'Admin',
  capabilities: {
    all: true,
    databases: ['read', 'write', 'create', 'describe', 'delete'],
    internal: ['read', 'write', 'create', 'describe', 'delete'],
    tokens: ['read', 'create', 'update', 'delete'],
    users: ['read', 'create', 'update', 'delete'],
    roles: ['read', 'create', 'update', 'delete'],
    system: everySystemResource,
  },
}

// Reads everything, the audit trail included, and changes nothing.
const auditor: BuiltInRole = {
  id: 2,
  name: 'Auditor',
  capabilities: {
    all: false,
    databases: readOnly,
    internal: readOnly,
    tokens: ['read'],
    users: ['read'],
    roles: ['read'],
    system: everySystemResource,
  },
}

// Works with data and its own resource tokens; manages no one.
const member: BuiltInRole = {
  id: 3,
  name: 'Member',
  capabilities: {
    all: false,
    databases: ['read', 'write', 'create', 'describe', 'delete'],
    internal: [],
    tokens: ['read', 'create', 'delete'],
    users: ['read'],
    roles: ['read'],
    system: everySystemResource,
  },
}

/** The built-in roles, by id. */
export const builtInRoles: readonly BuiltInRole[] = [admin, auditor, member]

/** The id of the Admin role, which the last active admin cannot lose. */
export const adminRoleId = admin.id

/** What a user with no role may do: nothing beyond their own account. */
const noCapabilities: RoleCapabilities = {
  all: false,
  databases: [],
  internal: [],
  tokens: [],
  users: [],
  roles: [],
  system: [],
}

/** The union of the capabilities of the roles with `roleIds`; unknown ids add nothing. */
export function capabilitiesOf(roleIds: readonly number[]): RoleCapabilities {
  const roles = builtInRoles.filter((role) => roleIds.includes(role.id))
  if (roles.length === 0) return noCapabilities

  return roles.map((role) => role.capabilities).reduce(unite)
}

function unite(a: RoleCapabilities, b: RoleCapabilities): RoleCapabilities {
  return {
    all: a.all || b.all,
    databases: union(a.databases, b.databases),
    internal: union(a.internal, b.internal),
    tokens: union(a.tokens, b.tokens),
    users: union(a.users, b.users),
    roles: union(a.roles, b.roles),
    system: union(a.system, b.system),
  }
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])]
}

/** A role's capabilities in the reference's permission vocabulary. */
export function apiPermissionsOf(role: BuiltInRole): ApiPermission[] {
  const c = role.capabilities
  const permissions: ApiPermission[] = [
    { resourceType: 'database', actions: [...c.databases], identifiers: [], allResources: true },
    { resourceType: 'token', actions: [...c.tokens] },
    { resourceType: 'user', actions: [...c.users] },
    { resourceType: 'role', actions: [...c.roles] },
    { resourceType: 'system', actions: c.system.length > 0 ? ['read'] : [] },
  ]
  if (c.all) permissions.push({ resourceType: 'admin_token', actions: ['create', 'delete'] })

  return permissions.filter((permission) => permission.actions.length > 0)
}
