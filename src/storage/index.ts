/**
 * Time-series data in DuckDB: one sandboxed instance per database, durable group-committed
 * writes with last-write-wins, read-only streamed queries, retention.
 */
export { createStorageEngine } from './duckdb-storage-engine.js'
export type { CommitEvent, StorageEngineOptions, StorageHooks } from './duckdb-storage-engine.js'
export { RAW_SCHEMA, SYSTEM_SCHEMA, USER_SCHEMA } from './layout.js'
export {
  sqlIdentifier,
  sqlString,
  sqlTimestampNanos,
  sqlTypeOf,
  userViewName,
} from './internal/sql-names.js'
export type { DatabaseStorage, QueryParams, StorageEngine, WriteOptions } from './storage-engine.js'
export type {
  ColumnDef,
  ColumnType,
  QueryResult,
  ResultBatch,
  ResultColumn,
  ResultType,
  StoredValue,
  TableColumns,
  WriteRow,
} from './types.js'
export { ioxType } from './types.js'
export type { SystemColumn, SystemTable, SystemValue } from './system-table.js'
