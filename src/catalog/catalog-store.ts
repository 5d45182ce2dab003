import type { ColumnDef } from '../storage/index.js'
import type { DatabaseRecord, TableRecord } from './catalog-types.js'

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
  close(): void
}
