import { SYSTEM_SCHEMA } from '../storage/layout.js'
import { identifierName, tokenizeSql } from './internal/sql-tokenizer.js'
import type { SqlToken } from './internal/sql-tokenizer.js'

/**
 * Points `system.<table>` references at the schema that holds Fluxgate's system tables
 * (`system` is a catalog name of DuckDB's own). Only an unqualified `system` directly followed
 * by a dot is rewritten; strings, comments and `x.system.y` stay as written.
 */
export function rewriteSystemSchema(sql: string): string {
  const tokens = tokenizeSql(sql)
  let result = ''
  tokens.forEach((token, index) => {
    result += isSystemSchemaReference(tokens, index) ? SYSTEM_SCHEMA : token.text
  })
  return result
}

function isSystemSchemaReference(tokens: SqlToken[], index: number): boolean {
  const token = tokens[index]
  if (token === undefined || identifierName(token)?.toLowerCase() !== 'system') return false

  const next = tokens[index + 1]
  const previous = tokens[index - 1]
  return next?.text === '.' && previous?.text !== '.'
}
