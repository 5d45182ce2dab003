import type { SystemTable } from './system-table.js'
import type { ColumnDef, QueryResult, TableColumns, WriteRow } from './types.js'

/** Options of a durable write. */
export interface WriteOptions {
  /**
   * False only for `no_sync=true` writes: the promise may resolve before the rows are durable.
   * Otherwise it resolves only once the rows survive a process crash.
   */
  sync: boolean
}

/** Parameters bound to `$name` placeholders of a query. */
export type QueryParams = Record<string, string | number | boolean | null>

/**
 * The time-series data of one database. Implementations keep each database isolated: a query
 * run here can never read files, other databases or change data.
 */
export interface DatabaseStorage {
  /**
   * Creates `table` when missing and adds the columns it lacks. Idempotent. Column types of
   * existing columns are never changed (the caller checks conflicts first).
   */
  ensureColumns(table: string, columns: ColumnDef[]): Promise<void>
  /**
   * Stores rows; on an identical table, tag set and time the later row wins (also within one
   * call): its fields replace the stored ones, and fields it omits keep their stored value, as
   * InfluxDB merges field sets. Concurrent calls share one commit. Resolves once durable (see
   * WriteOptions).
   */
  write(rows: WriteRow[], options: WriteOptions): Promise<void>
  /** `write` for rows given column by column, table by table; the same guarantees hold. */
  writeColumns(tables: readonly TableColumns[], options: WriteOptions): Promise<void>
  /**
   * Runs one read-only statement (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN; DuckDB syntax) and
   * streams the result. Throws FluxgateError ERR_QUERY_NOT_READ_ONLY for anything else and
   * ERR_QUERY_INVALID for SQL errors, with DuckDB's message as detail.
   */
  query(sql: string, params: QueryParams, signal?: AbortSignal): Promise<QueryResult>
  /** Runs one read-only statement and returns its result as a Parquet file's bytes. */
  queryParquet(sql: string, params: QueryParams, signal?: AbortSignal): Promise<Uint8Array>
  /**
   * Replaces the table `system.<name>` with the given rows in one transaction, so queries see
   * the server's current state. Queries cannot change it (they are read-only).
   */
  replaceSystemTable(table: SystemTable): Promise<void>
  /** Removes a table and its data. */
  dropTable(table: string): Promise<void>
  /** Deletes every row older than `cutoffNanos` (retention). */
  deleteOlderThan(cutoffNanos: bigint): Promise<void>
  /** Flushes pending writes and closes. */
  close(): Promise<void>
}

/** Opens and owns the storage of every database. */
export interface StorageEngine {
  /** Opens (creating when needed) the storage under a stable key such as the database id. */
  open(key: string): Promise<DatabaseStorage>
  /** Closes and removes everything stored under `key`. */
  destroy(key: string): Promise<void>
  /** Flushes and closes every open database. */
  close(): Promise<void>
}
