import type { Source } from '../influxql-ast.js'
import { invalidStatement, parseError } from '../influxql-errors.js'
import type { TokenStream } from './token-stream.js'

/**
 * Parses `measurement`, `rp.measurement`, `db.rp.measurement` or `db..measurement`. Regular
 * expressions and subqueries are refused: Fluxgate reads one measurement per statement.
 */
export function parseSource(tokens: TokenStream): Source {
  const pos = tokens.peek().pos
  if (tokens.isSymbol('(')) throw invalidStatement('subqueries are not supported')
  if (tokens.isSymbol('/')) throw invalidStatement('regular expressions in FROM are not supported')

  const parts = [nameOrEmpty(tokens)]
  while (tokens.acceptSymbol('.')) parts.push(nameOrEmpty(tokens))
  if (parts.length > 3) throw parseError('too many segments in measurement name', pos)

  const [measurement, policy, database] = [...parts].reverse()
  if (measurement === undefined || measurement === '') throw tokens.unexpected('measurement name')
  return {
    measurement,
    retentionPolicy: policy === '' ? undefined : policy,
    database: database === '' ? undefined : database,
    pos,
  }
}

// `db..m` leaves the retention policy empty: the next token is the second dot.
function nameOrEmpty(tokens: TokenStream): string {
  if (tokens.isSymbol('.')) return ''
  return tokens.identifier('measurement name').text
}
