export { Catalog } from './catalog.js'
export { openSqliteCatalogStore } from './sqlite-catalog-store.js'
export {
  assertValidDatabaseName,
  databaseNameProblem,
  withRetentionPolicy,
} from './database-name.js'
export { parseRetentionPeriod, formatGoDuration } from './retention-period.js'
export { INTERNAL_DATABASE, defaultCatalogLimits } from './catalog-types.js'
export { builtInRoleIds, builtInRoles } from './role-record.js'
export type { CatalogStore } from './catalog-store.js'
export type { CatalogLimits, DatabaseRecord, TableRecord } from './catalog-types.js'
export type { NewStoredToken, StoredToken } from './stored-token.js'
export type { UserStore } from './user-store.js'
export type { NewUser, UserChanges, UserRecord } from './user-record.js'
export type { RoleRecord } from './role-record.js'
export type { SessionStore } from './session-store.js'
export type { SessionRecord } from './session-record.js'
export type { RefreshTokenRecord } from './refresh-token-record.js'
export type { AuditStore } from './audit-store.js'
export type { AuditEntry, AuditOutcome, AuditRecord } from './audit-record.js'
