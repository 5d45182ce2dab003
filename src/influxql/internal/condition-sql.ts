import { sqlIdentifier } from '../../storage/index.js'
import type { BinaryOperator, Expr } from '../influxql-ast.js'
import { invalidStatement } from '../influxql-errors.js'
import { isNumeric, roleOf } from './measurement-schema.js'
import type { MeasurementSchema, NameRole } from './measurement-schema.js'
import { mirrored } from './mirrored-operator.js'
import type { SqlParams } from './sql-params.js'

type Literal = Extract<Expr, { kind: 'string' | 'integer' | 'float' | 'boolean' | 'regex' }>

const comparisons = new Set<BinaryOperator>(['=', '!=', '<', '<=', '>', '>=', '=~', '!~'])
const literalKinds = new Set(['string', 'integer', 'float', 'boolean', 'regex'])

/**
 * Translates a WHERE condition without its time part into SQL over the measurement's columns,
 * with InfluxDB's meaning: a missing tag equals the empty string, a missing field matches
 * nothing, and a comparison of a value with a literal of another type is false. Literals are
 * bound as parameters; regular expressions (RE2 in both InfluxDB and DuckDB) too.
 */
export function conditionSql(expr: Expr, schema: MeasurementSchema, params: SqlParams): string {
  if (expr.kind !== 'binary') throw invalidCondition()
  if (expr.op === 'AND' || expr.op === 'OR') {
    const left = conditionSql(expr.left, schema, params)
    const right = conditionSql(expr.right, schema, params)
    return `(${left} ${expr.op} ${right})`
  }
  if (!comparisons.has(expr.op)) throw invalidCondition()

  const { name, literal, op } = comparisonParts(expr)
  const role = roleOf(schema, name.name, name.cast)
  checkRegexUse(op, literal)
  if (role === undefined) return missingTagSql(op, literal, params)
  return columnSql(sqlIdentifier(name.name), role, op, literal, params)
}

interface ComparisonParts {
  name: Extract<Expr, { kind: 'identifier' }>
  literal: Literal
  op: BinaryOperator
}

function comparisonParts(expr: Expr & { kind: 'binary' }): ComparisonParts {
  const { left, right, op } = expr
  if (left.kind === 'identifier' && isLiteral(right)) return { name: left, literal: right, op }
  if (right.kind === 'identifier' && isLiteral(left) && left.kind !== 'regex') {
    return { name: right, literal: left, op: mirrored(op) }
  }
  throw invalidStatement('conditions must compare a tag or field with a literal')
}

function isLiteral(expr: Expr): expr is Literal {
  return literalKinds.has(expr.kind)
}

function checkRegexUse(op: BinaryOperator, literal: Literal): void {
  const regexOp = op === '=~' || op === '!~'
  if (regexOp !== (literal.kind === 'regex')) {
    throw invalidStatement('=~ and !~ need a regular expression, and regular expressions need them')
  }
}

function columnSql(
  column: string,
  role: NameRole,
  op: BinaryOperator,
  literal: Literal,
  params: SqlParams,
): string {
  // A tag a point lacks compares as the empty string.
  if (role.role === 'tag')
    return typedComparison(`coalesce(${column}, '')`, op, literal, 'string', params)
  if (isNumeric(role.type)) return typedComparison(column, op, literal, 'number', params)
  return typedComparison(column, op, literal, role.type === 'string' ? 'string' : 'boolean', params)
}

function typedComparison(
  value: string,
  op: BinaryOperator,
  literal: Literal,
  type: 'string' | 'number' | 'boolean',
  params: SqlParams,
): string {
  if (literal.kind === 'regex') {
    if (type !== 'string') return 'FALSE'
    const match = `regexp_matches(${value}, ${params.bind(literal.pattern)})`
    return op === '!~' ? `(NOT ${match})` : match
  }

  const bound = boundLiteral(literal, type, params)
  if (bound === undefined) return 'FALSE'
  if (type === 'boolean' && op !== '=' && op !== '!=') return 'FALSE'
  return `(${value} ${op === '!=' ? '<>' : op} ${bound})`
}

function boundLiteral(
  literal: Literal,
  type: 'string' | 'number' | 'boolean',
  params: SqlParams,
): string | undefined {
  if (type === 'string' && literal.kind === 'string') return params.bind(literal.value)
  if (type === 'boolean' && literal.kind === 'boolean') return params.bind(literal.value)
  if (type !== 'number') return undefined
  // Integer literals are digits the lexer checked, exact beyond 2^53 when written out.
  if (literal.kind === 'integer') return `(${literal.value.toString()})::HUGEINT`
  if (literal.kind === 'float') return params.bind(literal.value)
  return undefined
}

// A name the measurement does not have is a tag every point lacks: the empty string.
function missingTagSql(op: BinaryOperator, literal: Literal, params: SqlParams): string {
  return typedComparison(`''`, op, literal, 'string', params)
}

function invalidCondition(): Error {
  return invalidStatement('invalid condition: expected comparisons joined by AND or OR')
}
