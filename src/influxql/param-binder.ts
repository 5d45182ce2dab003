import type { QueryParams } from '../storage/index.js'
import type { Expr, Field, SelectStatement } from './influxql-ast.js'
import { undefinedParameter } from './influxql-errors.js'

/**
 * Replaces every `$name` of a SELECT with the literal its params give, as InfluxDB 3 does before
 * planning: strings become string literals (time strings included), numbers integer or float
 * literals, booleans boolean literals. Throws the reference's error for a missing one.
 */
export function bindStatementParams(
  statement: SelectStatement,
  params: QueryParams,
): SelectStatement {
  const bind = (expr: Expr): Expr => bindExpr(expr, params)
  const fields: Field[] = statement.fields.map((field) => ({ ...field, expr: bind(field.expr) }))
  const condition = statement.condition === undefined ? undefined : bind(statement.condition)

  return { ...statement, fields, condition }
}

function bindExpr(expr: Expr, params: QueryParams): Expr {
  switch (expr.kind) {
    case 'param':
      return literalOf(expr.name, expr.pos, params)
    case 'binary':
      return { ...expr, left: bindExpr(expr.left, params), right: bindExpr(expr.right, params) }
    case 'call':
      return { ...expr, args: expr.args.map((arg) => bindExpr(arg, params)) }
    default:
      return expr
  }
}

function literalOf(name: string, pos: number, params: QueryParams): Expr {
  const value = Object.hasOwn(params, name) ? params[name] : undefined
  if (value === undefined || value === null) throw undefinedParameter(name)

  if (typeof value === 'string') return { kind: 'string', value, pos }
  if (typeof value === 'boolean') return { kind: 'boolean', value, pos }
  if (Number.isSafeInteger(value)) return { kind: 'integer', value: BigInt(value), pos }
  return { kind: 'float', value, pos }
}
