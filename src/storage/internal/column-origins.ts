import { DuckDBTypeId } from '@duckdb/node-api'

import type { ColumnType } from '../types.js'
import type { ColumnOrigin } from './result-batch-codec.js'
import type { SqlToken } from './sql-scanner.js'
import type { TableSchemaStore } from './table-schema-store.js'

const storedTypeIds: Record<ColumnType, DuckDBTypeId> = {
  tag: DuckDBTypeId.VARCHAR,
  time: DuckDBTypeId.TIMESTAMP_NS,
  float: DuckDBTypeId.DOUBLE,
  integer: DuckDBTypeId.BIGINT,
  uinteger: DuckDBTypeId.UBIGINT,
  string: DuckDBTypeId.VARCHAR,
  boolean: DuckDBTypeId.BOOLEAN,
}

/**
 * Best effort: a result column is taken for a user-table column when the tables the statement
 * names agree on one column of that name, and the result keeps its stored SQL type. A computed
 * column named after a stored one of the same type is taken for it too.
 */
export function columnOrigins(
  schemas: TableSchemaStore,
  tokens: readonly SqlToken[],
): ColumnOrigin {
  const tables = tablesNamedIn(schemas, tokens).flatMap((name) => schemas.get(name) ?? [])

  return (name, typeId) => {
    const types = new Set(tables.flatMap((table) => table.types.get(name) ?? []))
    const [type] = types
    return types.size === 1 && type !== undefined && storedTypeIds[type] === typeId
      ? type
      : undefined
  }
}

// DuckDB's own list of a statement's tables comes back empty once it has placeholders, so the
// names are looked for among the words and quoted names of the text. DuckDB matches names
// without regard to case, quoted or not.
function tablesNamedIn(schemas: TableSchemaStore, tokens: readonly SqlToken[]): string[] {
  const named = new Set<string>()
  for (const token of tokens) {
    if (token.kind === 'word') named.add(token.raw.toLowerCase())
    else if (token.raw.startsWith('"')) named.add(unquoted(token.raw).toLowerCase())
  }

  return schemas.names().filter((name) => named.has(name.toLowerCase()))
}

function unquoted(quoted: string): string {
  return quoted.slice(1, -1).replaceAll('""', '"')
}
