import type { KeyMatch, ShowScope, ShowStatement } from '../influxql-ast.js'
import { invalidStatement, parseError } from '../influxql-errors.js'
import { parseSource } from './source-parser.js'
import type { TokenStream } from './token-stream.js'

// The reference's exact words for a SHOW it does not know.
const invalidShow =
  'invalid SHOW statement, expected DATABASES, FIELD KEYS, MEASUREMENTS, TAG KEYS, ' +
  'TAG VALUES, or RETENTION POLICIES following SHOW'

/** Parses what follows `SHOW`. */
export function parseShow(tokens: TokenStream): ShowStatement {
  if (tokens.acceptKeyword('DATABASES')) return { kind: 'show-databases' }
  if (tokens.acceptKeyword('RETENTION')) {
    tokens.expectKeyword('POLICIES')
    return { kind: 'show-retention-policies', ...parseScope(tokens, false) }
  }
  if (tokens.acceptKeyword('MEASUREMENTS')) {
    return { kind: 'show-measurements', ...parseScope(tokens, false) }
  }
  if (tokens.acceptKeyword('SERIES')) return { kind: 'show-series', ...parseScope(tokens, true) }
  if (tokens.acceptKeyword('FIELD')) {
    tokens.expectKeyword('KEYS')
    return { kind: 'show-field-keys', ...parseScope(tokens, true) }
  }
  if (tokens.acceptKeyword('TAG')) return parseShowTag(tokens)

  throw parseError(invalidShow, tokens.peek().pos)
}

function parseShowTag(tokens: TokenStream): ShowStatement {
  if (tokens.acceptKeyword('KEYS')) return { kind: 'show-tag-keys', ...parseScope(tokens, true) }
  if (!tokens.acceptKeyword('VALUES')) throw tokens.unexpected('KEYS or VALUES')

  let key: KeyMatch | undefined
  const scope = parseScope(tokens, true, () => {
    tokens.expectKeyword('WITH')
    tokens.expectKeyword('KEY')
    key = parseKeyMatch(tokens)
  })
  if (key === undefined) throw tokens.unexpected('WITH KEY')
  return { kind: 'show-tag-values', ...scope, key }
}

/** `[ON db] [FROM source] <clause> [LIMIT n] [OFFSET n]`; WHERE is refused. */
function parseScope(tokens: TokenStream, allowFrom: boolean, clause?: () => void): ShowScope {
  const database = tokens.acceptKeyword('ON') ? tokens.identifier('database name').text : undefined
  const source = allowFrom && tokens.acceptKeyword('FROM') ? parseSource(tokens) : undefined
  clause?.()
  if (tokens.isKeyword('WHERE')) throw invalidStatement('WHERE is not supported on SHOW statements')
  if (tokens.isKeyword('WITH'))
    throw invalidStatement('WITH is not supported on this SHOW statement')

  const limit = tokens.acceptKeyword('LIMIT') ? tokens.count('LIMIT') : undefined
  const offset = tokens.acceptKeyword('OFFSET') ? tokens.count('OFFSET') : undefined
  return { database, source, limit, offset }
}

function parseKeyMatch(tokens: TokenStream): KeyMatch {
  if (tokens.acceptKeyword('IN')) {
    tokens.expectSymbol('(')
    const keys = [tokens.identifier('tag key').text]
    while (tokens.acceptSymbol(',')) keys.push(tokens.identifier('tag key').text)
    tokens.expectSymbol(')')
    return { op: 'in', keys }
  }

  const op = tokens.next()
  if (op.kind === 'symbol' && (op.text === '=~' || op.text === '!~')) {
    return { op: op.text, pattern: tokens.regex().text }
  }
  if (op.kind === 'symbol' && (op.text === '=' || op.text === '!=')) {
    return { op: op.text, key: tokens.identifier('tag key').text }
  }
  throw parseError('expected =, !=, =~, !~ or IN after WITH KEY', op.pos)
}
