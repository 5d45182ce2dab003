/** The role and type of a stored column, in InfluxDB 3 terms. */
export type ColumnType = 'tag' | 'time' | 'float' | 'integer' | 'uinteger' | 'string' | 'boolean'

/**
 * InfluxDB 3's name of a column type (`iox::column_type::field::float`), as its error messages
 * and the `iox::column::type` metadata of Arrow fields spell it.
 */
export function ioxType(type: ColumnType): string {
  if (type === 'tag') return 'iox::column_type::tag'
  if (type === 'time') return 'iox::column_type::timestamp'
  return `iox::column_type::field::${type}`
}

/** A column of a user table: its name and its role and type. */
export interface ColumnDef {
  name: string
  type: ColumnType
}

/** A value of a field column as stored. */
export type StoredValue = number | bigint | string | boolean

/** One row to store: a point of a table after schema validation. */
export interface WriteRow {
  table: string
  /** Tag values by tag name; absent tags are null in storage. */
  tags: Record<string, string>
  /** Field values by field name, already checked against the table's column types. */
  fields: Record<string, StoredValue>
  /** Nanoseconds since the Unix epoch. */
  time: bigint
}

/**
 * Rows of one table given column by column, which spares an object per row: `time` holds one
 * entry per row, and so does each tag's and field's list, `undefined` where the row has no value.
 */
export interface TableColumns {
  table: string
  /** Nanoseconds since the Unix epoch. */
  time: bigint[]
  /** Tag values by tag name. */
  tags: Map<string, Array<string | undefined>>
  /** Field values by field name, already checked against the table's column types. */
  fields: Map<string, Array<StoredValue | undefined>>
}

/** The type of a result column, as queries hand it to the output formats. */
export type ResultType =
  'timestamp' | 'int64' | 'uint64' | 'float64' | 'string' | 'boolean' | 'other'

/** A column of a query result. */
export interface ResultColumn {
  name: string
  type: ResultType
  /** For columns of a user table: whether it is a tag, a field or the time column. */
  influxType?: ColumnType
}

/**
 * A slice of a result, by column. Values per type: timestamp and int64/uint64 as bigint
 * (timestamps in nanoseconds since the epoch), float64 as number, string as string, boolean as
 * boolean, other as its text; null for SQL NULL.
 */
export interface ResultBatch {
  rowCount: number
  columns: Array<Array<bigint | number | string | boolean | null>>
}

/** A streamed query result. Batches are produced lazily; stop reading to stop the query. */
export interface QueryResult {
  columns: ResultColumn[]
  batches: AsyncIterable<ResultBatch>
}
