import type { TableRecord } from '../catalog/index.js'
import type { QueryParams } from '../storage/index.js'
import { sqlIdentifier, sqlTimestampNanos, userViewName } from '../storage/index.js'
import type { SelectStatement, TimeGrouping } from './influxql-ast.js'
import { invalidStatement } from './influxql-errors.js'
import { aggregateSql, filledSql, selectorTimeSql } from './internal/aggregate-sql.js'
import { bucketSql, gridSql } from './internal/bucket-grid.js'
import { conditionSql } from './internal/condition-sql.js'
import { measurementSchema } from './internal/measurement-schema.js'
import type { MeasurementSchema } from './internal/measurement-schema.js'
import { resolveProjection } from './internal/projection.js'
import type { AggregateColumn, Projection, RawColumn } from './internal/projection.js'
import { SqlParams } from './internal/sql-params.js'
import { splitTimeCondition } from './internal/time-range.js'
import type { TimeRange } from './internal/time-range.js'

/** A SELECT as one DuckDB statement, or nothing to run (an unknown measurement or field). */
export type SelectPlan =
  | { kind: 'sql'; sql: string; params: QueryParams; seriesTags: string[] }
  | { kind: 'empty'; seriesTags: string[] }

/** What planning needs besides the statement: the current time for `now()`. */
export interface PlanClock {
  now: bigint
}

/** The parts every shape of SELECT shares while its SQL is built. */
interface Build {
  statement: SelectStatement
  schema: MeasurementSchema
  params: SqlParams
  range: TimeRange
  /** The group-by tags by output name, and their source columns `g0`, `g1`… */
  tags: string[]
  tagAliases: string[]
  /** Source columns by stored name: `c0`, `c1`… */
  columns: Map<string, string>
  measurement: string
}

/**
 * Plans a SELECT (its bind parameters already replaced) over the measurement's table (undefined
 * when the measurement does not exist). The
 * statement reads `iox.<measurement>` with every user value bound as a parameter; its result
 * has `iox::measurement`, `time`, the group-by tags, then the selected columns.
 */
export function planSelect(
  statement: SelectStatement,
  table: TableRecord | undefined,
  clock: PlanClock,
): SelectPlan {
  const schema = table === undefined ? undefined : measurementSchema(table)
  const tags = groupTags(statement, schema)
  if (schema === undefined) return { kind: 'empty', seriesTags: tags }

  const projection = resolveProjection(statement.fields, schema, tags)
  checkShape(statement, projection)
  if (!readsAnyField(projection, schema)) return { kind: 'empty', seriesTags: tags }

  const { range, rest } = splitTimeCondition(statement.condition, clock.now)
  if (statement.groupBy.time !== undefined) range.upper ??= clock.now
  const params = new SqlParams()
  const build: Build = {
    statement,
    schema,
    params,
    range,
    tags,
    tagAliases: tags.map((_, index) => `g${index}`),
    columns: new Map(),
    measurement: params.bind(schema.name),
  }

  const body = bodySql(build, projection)
  const condition = rest === undefined ? undefined : conditionSql(rest, schema, params)
  const ctes = [`src AS (${sourceSql(build, condition)})`, ...body.ctes]
  const sql = `WITH ${ctes.join(', ')} ${body.select}`
  return { kind: 'sql', sql, params: params.values, seriesTags: tags }
}

/** The statement after the source rows: more common table expressions, then the SELECT. */
interface Body {
  ctes: string[]
  select: string
}

function groupTags(statement: SelectStatement, schema: MeasurementSchema | undefined): string[] {
  const { allTags, tags } = statement.groupBy
  const named = allTags ? [...(schema?.tags ?? []), ...tags] : tags
  for (const tag of named) {
    if (schema?.fields.has(tag) === true) throw invalidStatement(`cannot GROUP BY field "${tag}"`)
  }
  return [...new Set(named)].sort()
}

function checkShape(statement: SelectStatement, projection: Projection): void {
  const byTime = statement.groupBy.time !== undefined
  if (projection.kind === 'raw' && byTime) {
    throw invalidStatement('GROUP BY requires at least one aggregate function')
  }
  if (projection.kind === 'distinct' && byTime && statement.fill.kind !== 'none') {
    throw invalidStatement('distinct() with GROUP BY time() needs fill(none)')
  }
}

function readsAnyField(projection: Projection, schema: MeasurementSchema): boolean {
  const fields =
    projection.kind === 'raw'
      ? projection.columns.map((column) => column.column)
      : projection.kind === 'aggregate'
        ? projection.columns.map((column) => column.field ?? '')
        : [projection.field]
  return fields.some((name) => schema.fields.has(name))
}

function bodySql(build: Build, projection: Projection): Body {
  switch (projection.kind) {
    case 'raw':
      return { ctes: [], select: rawSql(build, projection.columns) }
    case 'distinct':
      return { ctes: [], select: distinctSql(build, projection) }
    case 'aggregate': {
      const grouping = build.statement.groupBy.time
      return grouping === undefined
        ? { ctes: [], select: aggregateSqlWithoutTime(build, projection.columns) }
        : aggregateSqlByTime(build, projection.columns, grouping)
    }
  }
}

/** What a name the measurement lacks reads as. */
const missing = 'NULL::DOUBLE'

/** The stored column under its source alias, or null for a name the measurement lacks. */
function sourceColumn(build: Build, name: string | undefined): string {
  if (name === undefined) return missing
  const known = build.schema.fields.has(name) || build.schema.tags.includes(name)
  if (!known) return missing

  const alias = build.columns.get(name) ?? `c${build.columns.size}`
  build.columns.set(name, alias)
  return alias
}

function sourceSql(build: Build, condition: string | undefined): string {
  const tags = build.tags.map((tag, index) => {
    const column = build.schema.tags.includes(tag) ? sqlIdentifier(tag) : 'NULL::VARCHAR'
    return `${column} AS ${build.tagAliases[index] ?? ''}`
  })
  const columns = [...build.columns].map(([name, alias]) => `${sqlIdentifier(name)} AS ${alias}`)
  const where = [...timeConditions(build.range), ...(condition === undefined ? [] : [condition])]

  const view = userViewName(build.schema.name)
  const select = ['epoch_ns("time") AS t', ...tags, ...columns].join(', ')
  return `SELECT ${select} FROM ${view}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`
}

function timeConditions(range: TimeRange): string[] {
  const conditions: string[] = []
  if (range.lower !== undefined) {
    conditions.push(`"time" >= ${sqlTimestampNanos(range.lower)}`)
  }
  if (range.upper !== undefined) {
    conditions.push(`"time" <= ${sqlTimestampNanos(range.upper)}`)
  }
  return conditions
}

function leadingColumns(build: Build, time: string): string[] {
  const tags = build.tags.map(
    (tag, index) => `${build.tagAliases[index] ?? ''} AS ${sqlIdentifier(tag)}`,
  )
  return [
    `${build.measurement} AS "iox::measurement"`,
    `make_timestamp_ns(${time}) AS "time"`,
    ...tags,
  ]
}

function rawSql(build: Build, columns: RawColumn[]): string {
  const selected = columns.map((column) => {
    const alias = column.role === undefined ? missing : sourceColumn(build, column.column)
    return { alias, isField: column.role?.role === 'field', name: column.name }
  })
  // InfluxDB returns a point only when one of the selected fields has a value there.
  const present = selected.filter((column) => column.isField).map((c) => `${c.alias} IS NOT NULL`)
  const list = [
    ...leadingColumns(build, 't'),
    ...selected.map((column) => `${column.alias} AS ${sqlIdentifier(column.name)}`),
  ]
  const tieBreak = selected.map((column) => column.alias).filter((alias) => alias !== missing)

  return [
    `SELECT ${list.join(', ')} FROM src WHERE ${present.join(' OR ')}`,
    limitSql(build, 't'),
    orderSql(build, 't', tieBreak),
  ].join(' ')
}

function distinctSql(build: Build, projection: Projection & { kind: 'distinct' }): string {
  const value = sourceColumn(build, projection.field)
  const grouping = build.statement.groupBy.time
  const time = grouping === undefined ? timeOfRange(build) : bucketSql(grouping)
  const list = [...leadingColumns(build, 'b'), `${value} AS ${sqlIdentifier(projection.name)}`]
  const distinctList = [`${time} AS b`, ...build.tagAliases, value]

  return [
    `SELECT ${list.join(', ')}`,
    `FROM (SELECT DISTINCT ${distinctList.join(', ')} FROM src WHERE ${value} IS NOT NULL)`,
    limitSql(build, 'b'),
    orderSql(build, 'b', [value]),
  ].join(' ')
}

// Without GROUP BY time(), an aggregate's time is the start of the range, 0 without one.
function timeOfRange(build: Build): string {
  return (build.range.lower ?? 0n).toString()
}

function aggregateSqlWithoutTime(build: Build, columns: AggregateColumn[]): string {
  const [only] = columns
  const selectorTime =
    columns.length === 1 && only !== undefined
      ? selectorTimeSql(only, sourceColumn(build, only.field))
      : undefined
  const list = [
    ...leadingColumns(build, selectorTime ?? timeOfRange(build)),
    ...aggregateList(build, columns),
  ]
  const groupBy = build.tagAliases.length > 0 ? ` GROUP BY ${build.tagAliases.join(', ')}` : ''

  return [
    `SELECT ${list.join(', ')} FROM src${groupBy} HAVING count(*) > 0`,
    limitSql(build, 'NULL'),
    orderSql(build, undefined, []),
  ].join(' ')
}

function aggregateList(build: Build, columns: AggregateColumn[]): string[] {
  return columns.map((column) => {
    const value = aggregateSql(column, sourceColumn(build, column.field), build.params)
    return `${value} AS ${sqlIdentifier(column.name)}`
  })
}

function aggregateSqlByTime(
  build: Build,
  columns: AggregateColumn[],
  grouping: TimeGrouping,
): Body {
  const tags = build.tagAliases
  const values = columns.map((column, index) => {
    const sql = aggregateSql(column, sourceColumn(build, column.field), build.params)
    return `${sql} AS a${index}`
  })

  const aggList = [`${bucketSql(grouping)} AS b`, ...tags, ...values]
  const agg = `SELECT ${aggList.join(', ')} FROM src GROUP BY ${['b', ...tags].join(', ')}`
  const fill = build.statement.fill
  const rows = fill.kind === 'none' ? 'agg' : 'filled'
  const list = [
    ...leadingColumns(build, 'b'),
    ...columns.map((column, index) => {
      const value = filledSql(column, `a${index}`, fill, tags, build.params)
      return `${value} AS ${sqlIdentifier(column.name)}`
    }),
  ]

  const ctes = [`agg AS (${agg})`]
  if (fill.kind !== 'none') ctes.push(...gridCtes(build, grouping, columns.length))
  const select = [
    `SELECT ${list.join(', ')} FROM ${rows}`,
    limitSql(build, 'b'),
    orderSql(build, 'b', []),
  ].join(' ')
  return { ctes, select }
}

function gridCtes(build: Build, grouping: TimeGrouping, valueCount: number): string[] {
  const upper = build.range.upper ?? 0n
  const grid = gridSql(grouping, build.range.lower, upper, 'SELECT min(b) FROM agg')
  const tags = build.tagAliases
  const series =
    tags.length > 0
      ? `SELECT DISTINCT ${tags.join(', ')} FROM src`
      : 'SELECT DISTINCT 1 AS s FROM src'
  const joins = [
    'agg.b = grid.b',
    ...tags.map((tag) => `agg.${tag} IS NOT DISTINCT FROM series.${tag}`),
  ]
  const values = Array.from({ length: valueCount }, (_, index) => `agg.a${index}`)
  const filled = [
    `SELECT ${['grid.b', ...tags.map((tag) => `series.${tag}`), ...values].join(', ')}`,
    `FROM series CROSS JOIN grid LEFT JOIN agg ON ${joins.join(' AND ')}`,
  ].join(' ')

  return [`series AS (${series})`, `grid AS (${grid})`, `filled AS (${filled})`]
}

/** LIMIT and OFFSET count points per series, SLIMIT and SOFFSET series, as in InfluxQL. */
function limitSql(build: Build, time: string): string {
  const { limit, offset, slimit, soffset, descending } = build.statement
  const conditions: string[] = []
  if (limit !== undefined || offset !== undefined) {
    const order = `ORDER BY ${time}${descending ? ' DESC' : ''}`
    const partition =
      build.tagAliases.length > 0 ? `PARTITION BY ${build.tagAliases.join(', ')} ` : ''
    conditions.push(rankRange(`row_number() OVER (${partition}${order})`, offset, limit))
  }
  if (slimit !== undefined || soffset !== undefined) {
    const order = build.tagAliases.map((alias) => `${alias} NULLS FIRST`).join(', ')
    const rank = order === '' ? 'dense_rank() OVER ()' : `dense_rank() OVER (ORDER BY ${order})`
    conditions.push(rankRange(rank, soffset, slimit))
  }
  return conditions.length > 0 ? `QUALIFY ${conditions.join(' AND ')}` : ''
}

function rankRange(rank: string, offset: number | undefined, limit: number | undefined): string {
  const from = offset ?? 0
  const upTo = limit === undefined ? '' : ` AND ${rank} <= ${from + limit}`
  return `(${rank} > ${from}${upTo})`
}

function orderSql(build: Build, time: string | undefined, tieBreak: string[]): string {
  const tags = build.tagAliases.map((alias) => `${alias} NULLS FIRST`)
  const times = time === undefined ? [] : [`${time}${build.statement.descending ? ' DESC' : ''}`]
  const order = [...tags, ...times, ...tieBreak]
  return order.length > 0 ? `ORDER BY ${order.join(', ')}` : ''
}
