import type { ColumnDef } from '../storage/index.js'
import type { AuditStore } from './audit-store.js'
import type { DatabaseRecord, TableRecord } from './catalog-types.js'
import type { SessionStore } from './session-store.js'
import type { NewStoredToken, StoredToken } from './stored-token.js'
import type { UserStore } from './user-store.js'

/**
 * Durable home of Fluxgate's metadata. Every method is atomic. A second implementation
 * (PostgreSQL, shared by several nodes) is the path beyond one machine.
 */
export interface CatalogStore {
  /** The cluster's stable id, created on first open. */
  clusterId(): string
  /** Every database, deleted ones included. */
  loadDatabases(): DatabaseRecord[]
  /** Every table of every database. */
  loadTables(): TableRecord[]
  insertDatabase(name: string, retentionNanos: bigint | undefined, createdAt: Date): DatabaseRecord
  updateRetention(databaseId: number, retentionNanos: bigint | undefined): void
  /** Renames the database and marks it deleted. */
  markDatabaseDeleted(id: number, newName: string, at: Date, hardDeleteAt: Date | undefined): void
  /** Removes a database and its tables for good. */
  purgeDatabase(id: number): void
  insertTable(databaseId: number, name: string, columns: ColumnDef[]): TableRecord
  appendColumns(tableId: number, columns: ColumnDef[]): void
  deleteTable(tableId: number): void
  loadTokens(): StoredToken[]
  /** Stores a token under the next id; ids are never reused. Throws on a duplicate name. */
  insertToken(token: NewStoredToken): StoredToken
  /** Replaces a token's digest (regeneration), recording when and by whom. */
  replaceTokenDigest(id: number, digest: string, at: Date, byTokenId: number | undefined): void
  deleteToken(id: number): void
  /** Users, roles and the roles each user holds, kept in this catalog. */
  users(): UserStore
  /** Login sessions and their refresh tokens, kept in this catalog. */
  sessions(): SessionStore
  /** The audit trail, kept in this catalog. */
  audit(): AuditStore
  /**
   * Runs `work` in one transaction: all its writes commit together, with one sync, or none.
   * Store methods called inside nest within it.
   */
  transaction<T>(work: () => T): T
  close(): void
}
