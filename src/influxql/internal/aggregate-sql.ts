import { sqlTypeOf } from '../../storage/index.js'
import type { Fill } from '../influxql-ast.js'
import type { FieldType } from './measurement-schema.js'
import type { AggregateColumn, AggregateName } from './projection.js'
import type { SqlParams } from './sql-params.js'

/** The result type of each aggregate, when it is not the field's own type. */
const resultTypes: Partial<Record<AggregateName, FieldType>> = {
  mean: 'float',
  median: 'float',
  stddev: 'float',
  count: 'integer',
}

/** The type an aggregate column has in the result. */
function aggregateType(column: AggregateColumn): FieldType {
  return resultTypes[column.fn] ?? column.type
}

/**
 * The SQL of one aggregate over `value` (a column of the source rows, `t` their time in
 * nanoseconds), with InfluxDB's meaning: first and last skip nulls, stddev is the sample
 * deviation, percentile picks the nearest-rank value as InfluxDB 1.x does.
 */
export function aggregateSql(column: AggregateColumn, value: string, params: SqlParams): string {
  const present = `FILTER (WHERE ${value} IS NOT NULL)`
  switch (column.fn) {
    case 'mean':
      return `avg(${value})`
    case 'median':
      return `quantile_cont(${value}::DOUBLE, 0.5)`
    case 'count':
      return column.distinct ? `count(DISTINCT ${value})` : `count(${value})`
    case 'sum':
      return `CAST(sum(${value}) AS ${sqlTypeOf[column.type]})`
    case 'min':
    case 'max':
      return `${column.fn}(${value})`
    case 'first':
      return `arg_min(${value}, t) ${present}`
    case 'last':
      return `arg_max(${value}, t) ${present}`
    case 'spread':
      return `CAST(max(${value}) - min(${value}) AS ${sqlTypeOf[column.type]})`
    case 'stddev':
      return `stddev_samp(${value})`
    case 'percentile':
      return percentileSql(value, params.bind(column.percentile ?? 0))
  }
}

function percentileSql(value: string, percent: string): string {
  const rank = `CAST(floor(count(${value}) * ${percent}::DOUBLE / 100.0 + 0.5) AS BIGINT)`
  const sorted = `list_sort(list(${value}) FILTER (WHERE ${value} IS NOT NULL))`
  return `list_extract(${sorted}, CASE WHEN ${rank} BETWEEN 1 AND count(${value}) THEN ${rank} END)`
}

/**
 * The time of the point a lone selector picked, for queries without GROUP BY time(); undefined
 * for aggregates, whose time is the start of the range.
 */
export function selectorTimeSql(column: AggregateColumn, value: string): string | undefined {
  const present = `FILTER (WHERE ${value} IS NOT NULL)`
  switch (column.fn) {
    case 'first':
      return `min(t) ${present}`
    case 'last':
      return `max(t) ${present}`
    // Of equal extremes the earliest point wins, as InfluxDB picks it.
    case 'min':
      return `arg_min(t, {'v': ${value}, 't': t}) ${present}`
    case 'max':
      return `arg_min(t, {'v': -(${value}::DOUBLE), 't': t}) ${present}`
    default:
      return undefined
  }
}

/** The window over one series' buckets in time order. */
function seriesWindow(partition: string[], frame: string): string {
  const by = partition.length === 0 ? '' : `PARTITION BY ${partition.join(', ')} `
  return `(${by}ORDER BY b ${frame})`
}

/**
 * The value of aggregate `value` in a filled bucket grid: `fill(null)` leaves gaps null (0 for
 * count, as InfluxDB 1.x reports), a number fills them, `previous` carries the last value
 * forward and `linear` interpolates between the neighbours with values.
 */
export function filledSql(
  column: AggregateColumn,
  value: string,
  fill: Fill,
  partition: string[],
  params: SqlParams,
): string {
  switch (fill.kind) {
    case 'none':
      return value
    case 'null':
      return column.fn === 'count' ? `coalesce(${value}, 0)` : value
    case 'number':
      return `coalesce(${value}, ${params.bind(fill.value)})`
    case 'previous':
      return `last_value(${value} IGNORE NULLS) OVER ${seriesWindow(partition, upToHere)}`
    case 'linear':
      return linearSql(column, value, partition)
  }
}

const upToHere = 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW'
const fromHere = 'ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING'

function linearSql(column: AggregateColumn, value: string, partition: string[]): string {
  const type = aggregateType(column)
  if (type === 'string' || type === 'boolean') return value

  const before = seriesWindow(partition, upToHere)
  const after = seriesWindow(partition, fromHere)
  const bucketOf = `CASE WHEN ${value} IS NOT NULL THEN b END`
  const previous = `last_value(${value} IGNORE NULLS) OVER ${before}`
  const previousAt = `last_value(${bucketOf} IGNORE NULLS) OVER ${before}`
  const next = `first_value(${value} IGNORE NULLS) OVER ${after}`
  const nextAt = `first_value(${bucketOf} IGNORE NULLS) OVER ${after}`
  const slope = `(${next} - ${previous})::DOUBLE / nullif(${nextAt} - ${previousAt}, 0)`
  const interpolated = `${previous} + ${slope} * (b - ${previousAt})`
  const typed =
    type === 'float' ? interpolated : `CAST(trunc(${interpolated}) AS ${sqlTypeOf[type]})`

  return `coalesce(${value}, ${typed})`
}
