/** A column of a system table and its SQL type. */
export interface SystemColumn {
  name: string
  type: 'UBIGINT' | 'VARCHAR' | 'TIMESTAMP_MS' | 'BOOLEAN'
}

/** A value of a system table cell: numbers, text, times, or null. */
export type SystemValue = number | string | boolean | Date | null

/**
 * A read-only table the server fills from its own state (tokens, audit trail) in the `system`
 * schema of a database, so users query it with plain SQL.
 */
export interface SystemTable {
  name: string
  columns: SystemColumn[]
  rows: SystemValue[][]
}
