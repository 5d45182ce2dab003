/**
 * Macros that give DuckDB the InfluxDB 3 SQL functions it lacks. They live in `main`, which
 * every connection searches after the user schema, so a user macro such as `now()` shadows the
 * built-in of the same name.
 */

const stride = 'stride::INTERVAL'
const strideNanos = `epoch_ns(TIMESTAMP_NS '1970-01-01' + ${stride})`
const strideMonths = `(datepart('year', ${stride}) * 12 + datepart('month', ${stride}))`

/**
 * Bins on whole nanoseconds, so a bin start is exact where `time_bucket` would cut the time to
 * microseconds. Strides with months have no fixed length and go through `time_bucket`.
 */
function dateBinBody(origin: string): string {
  const originNanos = `epoch_ns(${origin}::TIMESTAMP_NS)`
  const offset = `(epoch_ns(source::TIMESTAMP_NS) - ${originNanos})`
  // `//` truncates toward zero; a bin must start at or before the time, also before the origin.
  const borrow = `CASE WHEN ${offset} % ${strideNanos} < 0 THEN 1 ELSE 0 END`
  const floorBins = `(${offset} // ${strideNanos} - ${borrow})`
  const exact = `make_timestamp_ns(${originNanos} + ${floorBins} * ${strideNanos})`
  const calendar = `time_bucket(${stride}, source::TIMESTAMP, ${origin}::TIMESTAMP)::TIMESTAMP_NS`

  return `CASE WHEN ${strideMonths} = 0 THEN ${exact} ELSE ${calendar} END`
}

const unixEpoch = "TIMESTAMP_NS '1970-01-01'"

/** Picks `value` and `time` of one row, skipping rows whose value is null. */
function selectorBody(aggregate: 'arg_min' | 'arg_max', by: 'v' | 't'): string {
  const row = "CASE WHEN v IS NOT NULL THEN {'value': v, 'time': t} END"
  const key = by === 'v' ? 'v' : 'CASE WHEN v IS NOT NULL THEN t END'

  return `${aggregate}(${row}, ${key})`
}

/** The statements that (re)create the dialect macros; run on every open. */
export const dialectMacros: readonly string[] = [
  `CREATE OR REPLACE MACRO main.date_bin(stride, source) AS ${dateBinBody(unixEpoch)},
    (stride, source, origin) AS ${dateBinBody('origin')}`,
  // current_localtimestamp() is UTC because the instance's zone is; TIMESTAMP_NS lets
  // `time > now() - INTERVAL '1 hour'` bind against nanosecond columns.
  'CREATE OR REPLACE MACRO main.now() AS current_localtimestamp()::TIMESTAMP_NS',
  `CREATE OR REPLACE MACRO main.selector_first(v, t) AS ${selectorBody('arg_min', 't')}`,
  `CREATE OR REPLACE MACRO main.selector_last(v, t) AS ${selectorBody('arg_max', 't')}`,
  `CREATE OR REPLACE MACRO main.selector_min(v, t) AS ${selectorBody('arg_min', 'v')}`,
  `CREATE OR REPLACE MACRO main.selector_max(v, t) AS ${selectorBody('arg_max', 'v')}`,
  `CREATE OR REPLACE MACRO main.approx_percentile_cont(v, p) AS approx_quantile(v, p),
    (v, p, centroids) AS approx_quantile(v, p)`,
]
