import { RAW_SCHEMA, USER_SCHEMA } from '../../storage/layout.js'
import type { ColumnType } from '../../storage/types.js'

// Tags and string fields are both VARCHAR; storage tells them apart by the comment on the raw
// column, which names the column's role, in the raw table named like the user table.
const tagComment: ColumnType = 'tag'

/** `information_schema.tables` as InfluxDB 3 shows it: user tables in `iox`, never raw ones. */
export const tablesSql = [
  `SELECT 'public' AS table_catalog, '${USER_SCHEMA}' AS table_schema,`,
  `view_name AS table_name, 'BASE TABLE' AS table_type`,
  `FROM duckdb_views()`,
  `WHERE database_name = current_database() AND schema_name = '${USER_SCHEMA}'`,
  `UNION ALL`,
  `SELECT 'public', '${USER_SCHEMA}', table_name, 'BASE TABLE'`,
  `FROM duckdb_tables()`,
  `WHERE database_name = current_database() AND schema_name = '${USER_SCHEMA}'`,
  `UNION ALL`,
  `VALUES ('public', 'information_schema', 'columns', 'VIEW'),`,
  `('public', 'information_schema', 'tables', 'VIEW')`,
].join(' ')

// Arrow's names for the types storage gives user columns; others keep DuckDB's name.
const dataTypeSql = [
  `CASE`,
  `WHEN r.comment = '${tagComment}' THEN 'Dictionary(Int32, Utf8)'`,
  `WHEN c.data_type = 'TIMESTAMP_NS' THEN 'Timestamp(Nanosecond, None)'`,
  `WHEN c.data_type = 'DOUBLE' THEN 'Float64'`,
  `WHEN c.data_type = 'BIGINT' THEN 'Int64'`,
  `WHEN c.data_type = 'UBIGINT' THEN 'UInt64'`,
  `WHEN c.data_type = 'VARCHAR' THEN 'Utf8'`,
  `WHEN c.data_type = 'BOOLEAN' THEN 'Boolean'`,
  `ELSE c.data_type END`,
].join(' ')

/**
 * `information_schema.columns` as InfluxDB 3 shows it: the columns of user tables with Arrow
 * type names, `time` not nullable.
 */
export const columnsSql = [
  `SELECT 'public' AS table_catalog, c.schema_name AS table_schema, c.table_name,`,
  `c.column_name, c.column_index AS ordinal_position, NULL AS column_default,`,
  `CASE WHEN c.column_name = 'time' THEN 'NO' ELSE 'YES' END AS is_nullable,`,
  `${dataTypeSql} AS data_type`,
  `FROM duckdb_columns() AS c LEFT JOIN duckdb_columns() AS r`,
  `ON r.database_name = c.database_name AND r.schema_name = '${RAW_SCHEMA}'`,
  `AND r.table_name = c.table_name AND r.column_name = c.column_name`,
  `WHERE c.database_name = current_database() AND c.schema_name = '${USER_SCHEMA}'`,
].join(' ')
