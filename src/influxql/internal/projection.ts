import type { Expr, Field, NameCast } from '../influxql-ast.js'
import { invalidStatement } from '../influxql-errors.js'
import { compareNames, isNumeric, roleOf } from './measurement-schema.js'
import type { FieldType, MeasurementSchema, NameRole } from './measurement-schema.js'
import { isTimeName } from './time-range.js'

const aggregateNames = [
  'mean',
  'median',
  'count',
  'sum',
  'min',
  'max',
  'first',
  'last',
  'spread',
  'stddev',
  'percentile',
] as const

/** The aggregates and selectors Fluxgate runs. */
export type AggregateName = (typeof aggregateNames)[number]

/** A column of a raw SELECT: a tag, a field, or a name the measurement lacks (all null). */
export interface RawColumn {
  name: string
  column: string
  role: NameRole | undefined
}

/** One aggregate column: `fn(field)` under its output name. */
export interface AggregateColumn {
  name: string
  fn: AggregateName
  field: string | undefined
  type: FieldType
  /** `count(distinct(f))`. */
  distinct: boolean
  /** The N of `percentile(f, N)`. */
  percentile: number | undefined
}

/** What a SELECT projects: raw points, one row of aggregates per group, or distinct values. */
export type Projection =
  | { kind: 'raw'; columns: RawColumn[] }
  | { kind: 'aggregate'; columns: AggregateColumn[] }
  | { kind: 'distinct'; name: string; field: string; type: FieldType }

const aggregateNameSet = new Set<string>(aggregateNames)
const anyType = new Set<AggregateName>(['count', 'first', 'last'])
const otherFunctions = new Set(
  [
    'bottom top sample mode integral derivative non_negative_derivative difference',
    'non_negative_difference moving_average cumulative_sum elapsed holt_winters',
    'holt_winters_with_fit exponential_moving_average double_exponential_moving_average',
    'triple_exponential_moving_average relative_strength_index chande_momentum_oscillator',
    'kaufmans_efficiency_ratio kaufmans_adaptive_moving_average triple_exponential_derivative',
    'abs sin cos tan asin acos atan atan2 exp ln log log2 log10 sqrt pow floor ceil round',
  ]
    .join(' ')
    .split(' '),
)

/**
 * Resolves the SELECT fields against the measurement. Raw fields and aggregates cannot be
 * mixed, `time` is always the first column anyway, and `*` lists tags and fields sorted by
 * name, leaving out the tags the query groups by.
 */
export function resolveProjection(
  fields: Field[],
  schema: MeasurementSchema,
  groupTags: readonly string[],
): Projection {
  const selected = fields.filter((field) => !isTimeName(field.expr))
  if (selected.length === 0) {
    throw invalidStatement('statement must have at least one field in its projection')
  }

  const calls = selected.filter((field) => field.expr.kind === 'call')
  if (calls.length === 0) return rawProjection(selected, schema, groupTags)
  if (calls.length !== selected.length) {
    throw invalidStatement('mixing aggregate and non-aggregate queries is not supported')
  }
  return aggregateProjection(selected, schema)
}

function rawProjection(
  fields: Field[],
  schema: MeasurementSchema,
  groupTags: readonly string[],
): Projection {
  const columns: RawColumn[] = []
  for (const { expr, alias } of fields) {
    if (expr.kind === 'wildcard') {
      for (const name of wildcardNames(schema, expr.cast, groupTags)) {
        columns.push({ name, column: name, role: roleOf(schema, name, undefined) })
      }
    } else if (expr.kind === 'identifier') {
      const role = roleOf(schema, expr.name, expr.cast)
      columns.push({ name: alias ?? expr.name, column: expr.name, role })
    } else {
      throw invalidStatement('only tags, fields, * and aggregate functions may be selected')
    }
  }

  if (columns.every((column) => column.role?.role === 'tag')) {
    throw invalidStatement('statement must have at least one field in its projection')
  }
  return { kind: 'raw', columns: uniqueNames(columns) }
}

function wildcardNames(
  schema: MeasurementSchema,
  cast: NameCast | undefined,
  groupTags: readonly string[],
): string[] {
  const tags = cast === 'field' ? [] : schema.tags.filter((tag) => !groupTags.includes(tag))
  const fields = cast === 'tag' ? [] : [...schema.fields.keys()]
  return [...tags, ...fields].sort(compareNames)
}

function aggregateProjection(fields: Field[], schema: MeasurementSchema): Projection {
  const distinct = fields.find((field) => callName(field.expr) === 'distinct')
  if (distinct !== undefined) return distinctProjection(distinct, fields.length, schema)

  const columns = fields.flatMap((field) => aggregateColumns(field, schema))
  return { kind: 'aggregate', columns: uniqueNames(columns) }
}

function callName(expr: Expr): string | undefined {
  return expr.kind === 'call' ? expr.name : undefined
}

function distinctProjection(field: Field, count: number, schema: MeasurementSchema): Projection {
  if (count > 1) {
    throw invalidStatement(
      'aggregate function distinct() cannot be combined with other functions or fields',
    )
  }
  const [arg, ...rest] = field.expr.kind === 'call' ? field.expr.args : []
  const target = fieldArgument(arg, rest, 'distinct', schema)
  return {
    kind: 'distinct',
    name: field.alias ?? 'distinct',
    field: target.name,
    type: target.type,
  }
}

function aggregateColumns(field: Field, schema: MeasurementSchema): AggregateColumn[] {
  const call = field.expr
  if (call.kind !== 'call') throw invalidStatement('expected a function call')
  const fn = aggregateName(call.name)
  const [arg, ...rest] = call.args

  if (fn === 'count' && arg?.kind === 'call' && arg.name === 'distinct') {
    const target = fieldArgument(arg.args[0], arg.args.slice(1), 'distinct', schema)
    return [column(field.alias ?? 'count', fn, target, { distinct: true })]
  }
  const percentile = fn === 'percentile' ? percentileArgument(rest) : undefined
  const extra = fn === 'percentile' ? [] : rest
  if (arg?.kind === 'wildcard' && extra.length === 0) {
    return wildcardAggregates(fn, schema, percentile)
  }

  const target = fieldArgument(arg, extra, fn, schema)
  checkType(fn, target)
  return [column(field.alias ?? fn, fn, target, { percentile })]
}

function aggregateName(name: string): AggregateName {
  if (isAggregateName(name)) return name
  if (name === 'distinct') {
    throw invalidStatement('distinct() may only be used alone or inside count()')
  }
  if (otherFunctions.has(name)) throw invalidStatement(`function ${name}() is not supported`)
  throw invalidStatement(`undefined function ${name}()`)
}

function isAggregateName(name: string): name is AggregateName {
  return aggregateNameSet.has(name)
}

interface Target {
  name: string | undefined
  type: FieldType
}

// A field the measurement lacks aggregates to null, as in InfluxDB.
function fieldArgument(
  arg: Expr | undefined,
  rest: Expr[],
  fn: string,
  schema: MeasurementSchema,
): Target & { name: string } {
  if (arg?.kind !== 'identifier' || rest.length > 0) {
    throw invalidStatement(`expected field argument in ${fn}()`)
  }
  const role = roleOf(schema, arg.name, arg.cast)
  if (role?.role === 'tag') throw invalidStatement(`${fn}() cannot aggregate tag "${arg.name}"`)
  return { name: arg.name, type: role?.type ?? 'float' }
}

function percentileArgument(rest: Expr[]): number {
  const [n, ...more] = rest
  if ((n?.kind !== 'integer' && n?.kind !== 'float') || more.length > 0) {
    throw invalidStatement('percentile() expects a field and a number between 0 and 100')
  }
  const value = Number(n.value)
  if (value < 0 || value > 100) {
    throw invalidStatement('percentile() expects a field and a number between 0 and 100')
  }
  return value
}

function checkType(fn: AggregateName, target: Target): void {
  if (anyType.has(fn) || isNumeric(target.type)) return
  throw invalidStatement(`${fn}() needs a numeric field, "${target.name ?? ''}" is ${target.type}`)
}

function wildcardAggregates(
  fn: AggregateName,
  schema: MeasurementSchema,
  percentile: number | undefined,
): AggregateColumn[] {
  const fields = [...schema.fields].filter(([, type]) => anyType.has(fn) || isNumeric(type))
  return fields.map(([name, type]) => column(`${fn}_${name}`, fn, { name, type }, { percentile }))
}

function column(
  name: string,
  fn: AggregateName,
  target: Target,
  options: { distinct?: boolean; percentile?: number | undefined },
): AggregateColumn {
  return {
    name,
    fn,
    field: target.name,
    type: target.type,
    distinct: options.distinct ?? false,
    percentile: options.percentile,
  }
}

/** InfluxDB names a repeated column `mean_1`, `mean_2`… */
function uniqueNames<T extends { name: string }>(columns: T[]): T[] {
  const seen = new Map<string, number>()
  return columns.map((column) => {
    const count = seen.get(column.name) ?? 0
    seen.set(column.name, count + 1)
    return count === 0 ? column : { ...column, name: `${column.name}_${count}` }
  })
}
