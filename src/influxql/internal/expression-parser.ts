import type { BinaryOperator, Expr, NameCast } from '../influxql-ast.js'
import { parseDuration } from '../duration.js'
import { parseError } from '../influxql-errors.js'
import type { Token } from './influxql-lexer.js'
import type { TokenStream } from './token-stream.js'

// InfluxQL's precedence: OR, then AND, then comparisons, then + -, then * / %.
const precedence = new Map<string, number>([
  ['OR', 1],
  ['AND', 2],
  ['=', 3],
  ['!=', 3],
  ['<', 3],
  ['<=', 3],
  ['>', 3],
  ['>=', 3],
  ['=~', 3],
  ['!~', 3],
  ['+', 4],
  ['-', 4],
  ['*', 5],
  ['/', 5],
  ['%', 5],
])

/** Words that must be double-quoted to be read as names. */
const reservedWords = new Set(
  [
    'ALL ALTER ANY AS ASC BEGIN BY CREATE CONTINUOUS DATABASE DATABASES DEFAULT DELETE DESC',
    'DESTINATIONS DIAGNOSTICS DROP DURATION END EVERY EXPLAIN FIELD FOR FROM GRANT GRANTS',
    'GROUP GROUPS IN INF INSERT INTO KEY KEYS KILL LIMIT MEASUREMENT MEASUREMENTS NAME',
    'OFFSET ON ORDER PASSWORD POLICIES POLICY PRIVILEGES QUERIES QUERY READ REPLICATION',
    'RESAMPLE RETENTION REVOKE SELECT SERIES SET SHARD SHARDS SLIMIT SOFFSET STATS',
    'SUBSCRIPTION SUBSCRIPTIONS TAG TO USER USERS VALUES WHERE WITH WRITE AND OR',
  ]
    .join(' ')
    .split(' '),
)

/** Parses one expression, binary operators included. */
export function parseExpr(tokens: TokenStream, minPrecedence = 1): Expr {
  let left = parseUnary(tokens)
  for (;;) {
    const op = binaryOperator(tokens.peek())
    const level = op === undefined ? undefined : precedence.get(op)
    if (op === undefined || level === undefined || level < minPrecedence) return left

    const opToken = tokens.next()
    const right =
      (op === '=~' || op === '!~') && tokens.isSymbol('/')
        ? regexExpr(tokens.regex())
        : parseExpr(tokens, level + 1)
    left = { kind: 'binary', op, left, right, pos: opToken.pos }
  }
}

function binaryOperator(token: Token): BinaryOperator | undefined {
  if (token.kind === 'word') {
    const word = token.text.toUpperCase()
    return word === 'AND' || word === 'OR' ? word : undefined
  }
  if (token.kind !== 'symbol' || !precedence.has(token.text)) return undefined
  return token.text as BinaryOperator
}

// A leading minus applies to number and duration literals only, as in InfluxQL.
function parseUnary(tokens: TokenStream): Expr {
  if (!tokens.isSymbol('-') && !tokens.isSymbol('+')) return parsePrimary(tokens)

  const sign = tokens.next()
  const operand = parsePrimary(tokens)
  if (sign.text === '+') return operand
  if (operand.kind === 'integer') return { ...operand, value: -operand.value, pos: sign.pos }
  if (operand.kind === 'float') return { ...operand, value: -operand.value, pos: sign.pos }
  if (operand.kind === 'duration') return { ...operand, nanos: -operand.nanos, pos: sign.pos }
  throw parseError('unary minus applies only to numbers and durations', sign.pos)
}

function parsePrimary(tokens: TokenStream): Expr {
  const token = tokens.peek()
  switch (token.kind) {
    case 'string':
      tokens.next()
      return { kind: 'string', value: token.text, pos: token.pos }
    case 'integer':
      tokens.next()
      return { kind: 'integer', value: BigInt(token.text), pos: token.pos }
    case 'float':
      tokens.next()
      return { kind: 'float', value: Number(token.text), pos: token.pos }
    case 'duration':
      tokens.next()
      return { kind: 'duration', nanos: parseDuration(token.text) ?? 0n, pos: token.pos }
    case 'param':
      tokens.next()
      return { kind: 'param', name: token.text, pos: token.pos }
    case 'quoted':
      tokens.next()
      return nameExpr(tokens, token)
    case 'word':
      return wordExpr(tokens)
    case 'symbol':
      return symbolExpr(tokens)
    default:
      throw tokens.unexpected('expression')
  }
}

function symbolExpr(tokens: TokenStream): Expr {
  const token = tokens.peek()
  if (token.text === '/') return regexExpr(tokens.regex())
  if (tokens.acceptSymbol('*')) {
    return { kind: 'wildcard', cast: parseCast(tokens), pos: token.pos }
  }
  if (tokens.acceptSymbol('(')) {
    const inner = parseExpr(tokens)
    tokens.expectSymbol(')')
    return inner
  }
  throw tokens.unexpected('expression')
}

function wordExpr(tokens: TokenStream): Expr {
  const token = tokens.next()
  const upper = token.text.toUpperCase()
  if (upper === 'TRUE' || upper === 'FALSE') {
    return { kind: 'boolean', value: upper === 'TRUE', pos: token.pos }
  }
  if (tokens.isSymbol('(')) return callExpr(tokens, token)
  if (reservedWords.has(upper)) {
    throw parseError(`unexpected ${token.text}, expected identifier or literal`, token.pos)
  }
  return nameExpr(tokens, token)
}

function callExpr(tokens: TokenStream, name: Token): Expr {
  tokens.expectSymbol('(')
  const args: Expr[] = []
  if (!tokens.isSymbol(')')) {
    do args.push(parseExpr(tokens))
    while (tokens.acceptSymbol(','))
  }
  tokens.expectSymbol(')')
  return { kind: 'call', name: name.text.toLowerCase(), args, pos: name.pos }
}

function nameExpr(tokens: TokenStream, token: Token): Expr {
  return { kind: 'identifier', name: token.text, cast: parseCast(tokens), pos: token.pos }
}

/** `::tag` and `::field` choose the role of a name; type casts are refused. */
function parseCast(tokens: TokenStream): NameCast | undefined {
  if (!tokens.acceptSymbol('::')) return undefined

  const type = tokens.identifier('tag or field')
  const cast = type.text.toLowerCase()
  if (cast === 'tag' || cast === 'field') return cast
  throw parseError(`unsupported cast ::${type.text}, expected ::tag or ::field`, type.pos)
}

function regexExpr(token: Token): Expr {
  return { kind: 'regex', pattern: token.text, pos: token.pos }
}
