import type { ColumnDef } from '../storage/index.js'

/** The reserved database holding system tables; it exists from the first start. */
export const INTERNAL_DATABASE = '_internal'

/** A database as the catalog knows it. */
export interface DatabaseRecord {
  id: number
  /** The current name; a soft-deleted database is renamed `<name>-YYYYMMDDTHHMMSS`. */
  name: string
  /** Retention in nanoseconds; undefined keeps data forever. */
  retentionNanos: bigint | undefined
  createdAt: Date
  deletedAt: Date | undefined
  /** When the data of a soft-deleted database is removed for good; undefined means never. */
  hardDeleteAt: Date | undefined
}

/** A user table of a database, with its columns in creation order. */
export interface TableRecord {
  id: number
  databaseId: number
  name: string
  columns: ColumnDef[]
}

/** Limits the catalog enforces, as in the reference's Enterprise defaults. */
export interface CatalogLimits {
  maxDatabases: number
  maxTables: number
  maxColumnsPerTable: number
}

export const defaultCatalogLimits: CatalogLimits = {
  maxDatabases: 100,
  maxTables: 4000,
  maxColumnsPerTable: 500,
}
