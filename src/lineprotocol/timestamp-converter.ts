import { isInt64 } from './internal/int64-range.js'
import type { Precision } from './types.js'

/** A precision with its unit settled: what `auto` resolves to for a given timestamp. */
export type TimeUnit = Exclude<Precision, 'auto'>

const nanosPerUnit: Readonly<Record<TimeUnit, bigint>> = {
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1_000n,
  ns: 1n,
}

const unitNames: Readonly<Record<TimeUnit, string>> = {
  s: 'Second',
  ms: 'Millisecond',
  us: 'Microsecond',
  ns: 'Nanosecond',
}

// The magnitudes from which `auto` moves to the next finer unit.
const MILLISECONDS_FROM = 5n * 1_000_000_000n
const MICROSECONDS_FROM = 5_000n * 1_000_000_000n
const NANOSECONDS_FROM = 5_000_000n * 1_000_000_000n

/**
 * The unit `auto` reads `timestamp` in, judged by its magnitude in whole multiples of
 * 1e9: below 5 it is seconds, below 5,000 milliseconds, below 5,000,000 microseconds, and
 * otherwise nanoseconds. Negative timestamps are judged by their absolute value.
 *
 * @example
 * inferUnit(4_999_999_999n) // 's'
 * inferUnit(5_000_000_000n) // 'ms'
 */
export function inferUnit(timestamp: bigint): TimeUnit {
  if (isBelow(timestamp, MILLISECONDS_FROM)) return 's'
  if (isBelow(timestamp, MICROSECONDS_FROM)) return 'ms'
  if (isBelow(timestamp, NANOSECONDS_FROM)) return 'us'

  return 'ns'
}

// Compares the magnitude without computing it, which would allocate for every timestamp.
function isBelow(timestamp: bigint, magnitude: bigint): boolean {
  return timestamp < 0n ? magnitude + timestamp > 0n : timestamp < magnitude
}

/** The unit `precision` gives `timestamp`: itself, or the guess of `auto`. */
export function unitOf(timestamp: bigint, precision: Precision): TimeUnit {
  return precision === 'auto' ? inferUnit(timestamp) : precision
}

/**
 * Converts a timestamp written in `precision` to nanoseconds since the epoch. Returns
 * undefined when the result leaves the signed 64-bit range; `timestampOutOfRangeMessage`
 * gives the text the reference reports then.
 *
 * @example
 * toNanoseconds(1708473600n, 'auto') // 1708473600000000000n
 * toNanoseconds(1n, 'ms') // 1000000n
 * toNanoseconds(9_300_000_000n, 's') // undefined
 */
export function toNanoseconds(timestamp: bigint, precision: Precision): bigint | undefined {
  const unit = unitOf(timestamp, precision)
  const nanos = unit === 'ns' ? timestamp : timestamp * nanosPerUnit[unit]

  return isInt64(nanos) ? nanos : undefined
}

/**
 * The reference's message for a timestamp that `toNanoseconds` cannot convert, e.g.
 * `timestamp, 9300000000, out of range for precision: Second`. For `auto` it names the
 * unit inferred for the timestamp.
 */
export function timestampOutOfRangeMessage(timestamp: bigint, precision: Precision): string {
  const unit = unitNames[unitOf(timestamp, precision)]

  return `timestamp, ${timestamp}, out of range for precision: ${unit}`
}

/**
 * The timestamp, in nanoseconds, of a line written without one: the server's `nowNanos`,
 * truncated to whole units when the request states its precision and kept whole for
 * `auto`.
 *
 * @example
 * defaultTimestamp(1708473600123456789n, 'ms') // 1708473600123000000n
 * defaultTimestamp(1708473600123456789n, 'auto') // 1708473600123456789n
 */
export function defaultTimestamp(nowNanos: bigint, precision: Precision): bigint {
  if (precision === 'auto') return nowNanos

  const unit = nanosPerUnit[precision]
  return (nowNanos / unit) * unit
}
