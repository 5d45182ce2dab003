import type { Expr, Field, Fill, Grouping, SelectStatement, Statement } from './influxql-ast.js'
import { invalidStatement, parseError, tooManyStatements } from './influxql-errors.js'
import { parseExpr } from './internal/expression-parser.js'
import { parseShow } from './internal/show-parser.js'
import { parseSource } from './internal/source-parser.js'
import type { TokenStream } from './internal/token-stream.js'
import { TokenStream as Tokens } from './internal/token-stream.js'

const otherStatements = new Set([
  'ALTER',
  'CREATE',
  'DELETE',
  'DROP',
  'EXPLAIN',
  'GRANT',
  'INSERT',
  'KILL',
  'REVOKE',
  'SET',
])

/**
 * Parses exactly one InfluxQL statement (a final `;` is allowed). Throws FluxgateError
 * ERR_INFLUXQL_PARSE with the position of the problem, for more than one statement too, and
 * ERR_INFLUXQL_INVALID for a statement or clause Fluxgate does not run (INTO, subqueries…).
 *
 * @example
 * parseInfluxql('SELECT mean(usage) FROM cpu GROUP BY time(1m)').kind // 'select'
 */
export function parseInfluxql(text: string): Statement {
  const tokens = new Tokens(text)
  const statement = parseStatement(tokens)

  if (tokens.acceptSymbol(';') && tokens.peek().kind !== 'eof') throw tooManyStatements()
  if (tokens.peek().kind !== 'eof') throw tokens.unexpected('end of statement')
  return statement
}

function parseStatement(tokens: TokenStream): Statement {
  const first = tokens.peek()
  if (tokens.acceptKeyword('SELECT')) return parseSelect(tokens)
  if (tokens.acceptKeyword('SHOW')) return parseShow(tokens)

  if (first.kind === 'eof') throw parseError('unexpected end of input, expected statement', 0)
  const word = first.text.toUpperCase()
  if (first.kind === 'word' && otherStatements.has(word)) {
    throw parseError(`${word} statements are not supported, expected SELECT or SHOW`, first.pos)
  }
  throw parseError(`invalid SQL statement, expected SELECT or SHOW`, first.pos)
}

function parseSelect(tokens: TokenStream): SelectStatement {
  const fields = parseFields(tokens)
  if (tokens.isKeyword('INTO')) throw invalidStatement('SELECT INTO is not supported')
  tokens.expectKeyword('FROM')
  const source = parseSource(tokens)
  if (tokens.isSymbol(',')) throw invalidStatement('only one measurement per query is supported')

  const condition = tokens.acceptKeyword('WHERE') ? parseExpr(tokens) : undefined
  const { groupBy, fill } = parseGroupBy(tokens)
  const descending = parseOrderBy(tokens)
  const statement: SelectStatement = {
    kind: 'select',
    fields,
    source,
    condition,
    groupBy,
    fill,
    descending,
    limit: tokens.acceptKeyword('LIMIT') ? tokens.count('LIMIT') : undefined,
    offset: tokens.acceptKeyword('OFFSET') ? tokens.count('OFFSET') : undefined,
    slimit: tokens.acceptKeyword('SLIMIT') ? tokens.count('SLIMIT') : undefined,
    soffset: tokens.acceptKeyword('SOFFSET') ? tokens.count('SOFFSET') : undefined,
  }
  if (tokens.isKeyword('TZ')) throw invalidStatement('tz() is not supported')
  return statement
}

function parseFields(tokens: TokenStream): Field[] {
  const fields: Field[] = []
  do {
    const expr = parseExpr(tokens)
    const alias = tokens.acceptKeyword('AS') ? tokens.identifier('alias').text : undefined
    fields.push({ expr, alias })
  } while (tokens.acceptSymbol(','))
  return fields
}

function parseGroupBy(tokens: TokenStream): { groupBy: Grouping; fill: Fill } {
  const groupBy: Grouping = { time: undefined, tags: [], allTags: false }
  if (tokens.acceptKeyword('GROUP')) {
    tokens.expectKeyword('BY')
    do parseDimension(tokens, groupBy)
    while (tokens.acceptSymbol(','))
  }

  const fill = tokens.isKeyword('FILL') ? parseFill(tokens) : { kind: 'null' as const }
  return { groupBy, fill }
}

function parseDimension(tokens: TokenStream, groupBy: Grouping): void {
  const token = tokens.peek()
  if (tokens.acceptSymbol('*')) {
    groupBy.allTags = true
    return
  }
  if (tokens.isSymbol('/')) throw invalidStatement('GROUP BY regular expressions are not supported')

  const expr = parseExpr(tokens, 3)
  if (expr.kind === 'identifier') {
    groupBy.tags.push(expr.name)
  } else if (expr.kind === 'call' && expr.name === 'time') {
    if (groupBy.time !== undefined) throw parseError('multiple time dimensions', token.pos)
    groupBy.time = timeDimension(expr)
  } else {
    throw parseError('only time() calls and tag names are allowed in GROUP BY', token.pos)
  }
}

function timeDimension(call: Expr & { kind: 'call' }): Grouping['time'] {
  const [interval, offset, ...rest] = call.args
  if (interval?.kind !== 'duration' || interval.nanos <= 0n || rest.length > 0) {
    throw parseError('time() expects a positive duration and an optional offset', call.pos)
  }
  if (offset !== undefined && offset.kind !== 'duration') {
    throw parseError('the offset of time() must be a duration', offset.pos)
  }

  return { interval: interval.nanos, offset: offset?.nanos ?? 0n }
}

function parseFill(tokens: TokenStream): Fill {
  const fill = parseExpr(tokens, 3)
  const [option, ...rest] = fill.kind === 'call' ? fill.args : []
  if (fill.kind !== 'call' || option === undefined || rest.length > 0) {
    throw parseError('fill() expects one option', fill.pos)
  }

  if (option.kind === 'integer' || option.kind === 'float') {
    return { kind: 'number', value: Number(option.value) }
  }
  const name = option.kind === 'identifier' ? option.name.toLowerCase() : ''
  if (name === 'null' || name === 'none' || name === 'previous' || name === 'linear') {
    return { kind: name }
  }
  throw parseError('fill() expects null, none, previous, linear or a number', option.pos)
}

function parseOrderBy(tokens: TokenStream): boolean {
  if (!tokens.acceptKeyword('ORDER')) return false
  tokens.expectKeyword('BY')

  const column = tokens.identifier('time')
  if (column.text.toLowerCase() !== 'time') {
    throw invalidStatement('only ORDER BY time supported at this time')
  }
  if (tokens.acceptKeyword('DESC')) return true
  tokens.acceptKeyword('ASC')
  return false
}
