/** A named set of permissions that users are granted. */
export interface RoleRecord {
  id: number
  name: string
  description: string
  /** A required role always exists and cannot be deleted. */
  isRequiredRole: boolean
  createdAt: Date
  updatedAt: Date
}

/** The fixed ids of the built-in roles; every catalog has them from its first open. */
export const builtInRoleIds = { admin: 1, auditor: 2, member: 3 } as const

/** The built-in roles, seeded once into a new catalog with these ids. */
export const builtInRoles: readonly Omit<RoleRecord, 'createdAt' | 'updatedAt'>[] = [
  {
    id: builtInRoleIds.admin,
    name: 'Admin',
    description: 'Full access to all resources. Cannot be deleted.',
    isRequiredRole: true,
  },
  {
    id: builtInRoleIds.auditor,
    name: 'Auditor',
    description: 'Read-only access to databases, tokens, users, roles and system information.',
    isRequiredRole: false,
  },
  {
    id: builtInRoleIds.member,
    name: 'Member',
    description:
      'Reads, writes, creates and deletes databases and manages its own resource tokens.',
    isRequiredRole: false,
  },
]
