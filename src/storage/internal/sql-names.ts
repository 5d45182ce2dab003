import { quotedIdentifier, quotedString } from '@duckdb/node-api'

import { RAW_SCHEMA, USER_SCHEMA } from '../layout.js'
import type { ColumnType } from '../types.js'

/** The quoted name of the table holding the rows of `table`. */
export function rawTableName(table: string): string {
  return `${quotedIdentifier(RAW_SCHEMA)}.${quotedIdentifier(table)}`
}

/** The quoted name of the view users query for `table`. */
export function userViewName(table: string): string {
  return `${quotedIdentifier(USER_SCHEMA)}.${quotedIdentifier(table)}`
}

/** Quotes an identifier; every UTF-8 name works, quotes and spaces included. */
export const sqlIdentifier = quotedIdentifier

/** A quoted string literal. */
export const sqlString = quotedString

/** A TIMESTAMP_NS expression for nanoseconds since the epoch. */
export function sqlTimestampNanos(nanos: bigint): string {
  return `make_timestamp_ns(${nanos.toString()})`
}

/** The DuckDB type that stores each column type. */
export const sqlTypeOf = {
  tag: 'VARCHAR',
  time: 'TIMESTAMP_NS',
  float: 'DOUBLE',
  integer: 'BIGINT',
  uinteger: 'UBIGINT',
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
} as const satisfies Record<ColumnType, string>
