import { sqlString } from '../../storage/index.js'
import type { TimeGrouping } from '../influxql-ast.js'
import { invalidStatement } from '../influxql-errors.js'

/** The most buckets one series may get from GROUP BY time(). */
const maxBuckets = 1_000_000n

/** The start of the bucket holding `nanos`: buckets start at `offset` plus whole intervals. */
function bucketStart(nanos: bigint, grouping: TimeGrouping): bigint {
  const shifted =
    (((nanos - grouping.offset) % grouping.interval) + grouping.interval) % grouping.interval
  return nanos - shifted
}

/** The same as `bucketStart`, in SQL over the nanosecond column `t`. */
export function bucketSql(grouping: TimeGrouping): string {
  const interval = grouping.interval.toString()
  const offset = grouping.offset.toString()
  return `(t - (((t - (${offset})) % ${interval}) + ${interval}) % ${interval})`
}

/**
 * The bucket starts of a filled grid, as SQL rows `b`: from the bucket of `lower` (or of the
 * earliest point, `earliestSql`, when the query sets no lower bound) to the bucket of `upper`.
 * Throws when a known range would give more than `maxBuckets`; a range that starts at the
 * earliest point is checked by DuckDB at run time.
 */
export function gridSql(
  grouping: TimeGrouping,
  lower: bigint | undefined,
  upper: bigint,
  earliestSql: string,
): string {
  const interval = grouping.interval
  const last = bucketStart(upper, grouping)
  if (lower === undefined) {
    const first = `(${earliestSql})`
    const count = `(${last.toString()} - ${first}) // ${interval.toString()}`
    const tooMany = `${count} >= ${maxBuckets.toString()}`
    const stop = `CASE WHEN ${tooMany} THEN error(${tooManySql}) ELSE ${last.toString()} END`
    return seriesSql(first, stop, interval)
  }

  const first = bucketStart(lower, grouping)
  if ((last - first) / interval >= maxBuckets) throw tooManyBuckets()
  return seriesSql(first.toString(), last.toString(), interval)
}

function seriesSql(first: string, last: string, interval: bigint): string {
  return `SELECT b FROM generate_series(${first}, ${last}, ${interval.toString()}) AS grid(b)`
}

const tooManyText =
  `GROUP BY time() would give more than ${maxBuckets.toString()} buckets per series; ` +
  'narrow the time range or widen the interval'
const tooManySql = sqlString(tooManyText)

function tooManyBuckets(): Error {
  return invalidStatement(tooManyText)
}
