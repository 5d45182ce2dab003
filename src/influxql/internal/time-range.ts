import type { BinaryOperator, Expr } from '../influxql-ast.js'
import { invalidStatement } from '../influxql-errors.js'
import { mirrored } from './mirrored-operator.js'
import { parseTimeLiteral } from './time-literal.js'

/** Inclusive bounds in nanoseconds; undefined where the condition sets none. */
export interface TimeRange {
  lower: bigint | undefined
  upper: bigint | undefined
}

/** A WHERE condition split into its time range and the rest. */
export interface SplitCondition {
  range: TimeRange
  rest: Expr | undefined
}

const timeOperators = new Set<BinaryOperator>(['<', '<=', '>', '>=', '='])

/**
 * Takes the time comparisons out of a condition. They must be joined to the rest by AND at the
 * top level, as InfluxDB requires; `now()` is `now`, and `now() - 1h` style arithmetic works.
 */
export function splitTimeCondition(condition: Expr | undefined, now: bigint): SplitCondition {
  const range: TimeRange = { lower: undefined, upper: undefined }
  const rest: Expr[] = []
  for (const conjunct of condition === undefined ? [] : conjuncts(condition)) {
    if (!mentionsTime(conjunct)) rest.push(conjunct)
    else narrow(range, timeComparison(conjunct, now))
  }

  return { range, rest: rest.reduce<Expr | undefined>(andOf, undefined) }
}

function conjuncts(expr: Expr): Expr[] {
  if (expr.kind !== 'binary' || expr.op !== 'AND') return [expr]
  return [...conjuncts(expr.left), ...conjuncts(expr.right)]
}

function andOf(left: Expr | undefined, right: Expr): Expr {
  if (left === undefined) return right
  return { kind: 'binary', op: 'AND', left, right, pos: left.pos }
}

/** Whether `expr` is the name `time`, in any case. */
export function isTimeName(expr: Expr): boolean {
  return expr.kind === 'identifier' && expr.name.toLowerCase() === 'time'
}

function mentionsTime(expr: Expr): boolean {
  if (expr.kind === 'binary') return mentionsTime(expr.left) || mentionsTime(expr.right)
  return isTimeName(expr)
}

function timeComparison(expr: Expr, now: bigint): { op: BinaryOperator; nanos: bigint } {
  if (expr.kind !== 'binary' || !timeOperators.has(expr.op)) throw badTimeCondition()

  if (isTimeName(expr.left) && !mentionsTime(expr.right)) {
    return { op: expr.op, nanos: timeValue(expr.right, now) }
  }
  if (isTimeName(expr.right) && !mentionsTime(expr.left)) {
    return { op: mirrored(expr.op), nanos: timeValue(expr.left, now) }
  }
  throw badTimeCondition()
}

function narrow(range: TimeRange, { op, nanos }: { op: BinaryOperator; nanos: bigint }): void {
  const lower = op === '>' ? nanos + 1n : op === '>=' || op === '=' ? nanos : undefined
  const upper = op === '<' ? nanos - 1n : op === '<=' || op === '=' ? nanos : undefined
  if (lower !== undefined) range.lower = max(range.lower, lower)
  if (upper !== undefined) range.upper = min(range.upper, upper)
}

/** The nanoseconds of a time expression: a literal, `now()`, or either plus or minus durations. */
function timeValue(expr: Expr, now: bigint): bigint {
  switch (expr.kind) {
    case 'string': {
      const nanos = parseTimeLiteral(expr.value)
      if (nanos === undefined) throw invalidStatement(`invalid time literal '${expr.value}'`)
      return nanos
    }
    case 'integer':
      return expr.value
    case 'float':
      return BigInt(Math.trunc(expr.value))
    case 'call':
      if (expr.name === 'now' && expr.args.length === 0) return now
      break
    case 'binary':
      if ((expr.op === '+' || expr.op === '-') && expr.right.kind === 'duration') {
        const base = timeValue(expr.left, now)
        return expr.op === '+' ? base + expr.right.nanos : base - expr.right.nanos
      }
      break
  }
  throw badTimeCondition()
}

function badTimeCondition(): Error {
  return invalidStatement(
    'invalid time condition: compare time with >, >=, <, <= or = to a time literal, ' +
      'an integer of nanoseconds or now() plus or minus a duration, joined by AND',
  )
}

function max(current: bigint | undefined, next: bigint): bigint {
  return current === undefined || next > current ? next : current
}

function min(current: bigint | undefined, next: bigint): bigint {
  return current === undefined || next < current ? next : current
}
