import { InvalidArgumentError } from 'commander'

const nanosPerSecond = 1_000_000_000n

/** Each unit the reference CLI's humantime durations accept, in nanoseconds; case matters. */
const unitNanos = new Map<string, bigint>([
  ...spellings(['nanos', 'nsec', 'ns'], 1n),
  ...spellings(['usec', 'us', 'µs'], 1_000n),
  ...spellings(['millis', 'msec', 'ms'], 1_000_000n),
  ...spellings(['seconds', 'second', 'secs', 'sec', 's'], nanosPerSecond),
  ...spellings(['minutes', 'minute', 'mins', 'min', 'm'], 60n * nanosPerSecond),
  ...spellings(['hours', 'hour', 'hrs', 'hr', 'h'], 3_600n * nanosPerSecond),
  ...spellings(['days', 'day', 'd'], 86_400n * nanosPerSecond),
  ...spellings(['weeks', 'week', 'wks', 'wk', 'w'], 604_800n * nanosPerSecond),
  // humantime's month is 30.44 days and its year 365.25 days.
  ...spellings(['months', 'month', 'M'], 2_630_016n * nanosPerSecond),
  ...spellings(['years', 'year', 'yrs', 'yr', 'y'], 31_557_600n * nanosPerSecond),
])

/** The longest expiry accepted: a thousand years keeps every expiry a valid date. */
const maxSeconds = 1_000n * 31_557_600n

const part = /\s*(\d+)\s*([A-Za-zµ]+)\s*/y

/**
 * Parses a humantime duration, as `--expiry` takes it, into whole seconds (`expiry_secs`).
 * Parts add up, with or without spaces between them; a fraction of a second is dropped.
 * @example
 * parseExpiry('7d') // 604800
 * parseExpiry('1h 30m') // 5400
 * @throws InvalidArgumentError for an unknown unit, a number without a unit, or a duration
 * under one second or over a thousand years.
 */
export function parseExpiry(text: string): number {
  const nanos = sumParts(text)
  const seconds = nanos / nanosPerSecond
  if (seconds < 1n) throw new InvalidArgumentError('the expiry must be at least 1s')
  if (seconds > maxSeconds) throw new InvalidArgumentError('the expiry must be at most 1000y')

  return Number(seconds)
}

function sumParts(text: string): bigint {
  if (text.trim() === '') throw invalid()

  let total = 0n
  part.lastIndex = 0
  while (part.lastIndex < text.length) {
    const match = part.exec(text)
    if (match === null) throw invalid()

    const [, amount = '', unit = ''] = match
    const nanos = unitNanos.get(unit)
    if (nanos === undefined) {
      throw new InvalidArgumentError(`unknown unit "${unit}": use s, m, h, d, w, M or y`)
    }
    total += BigInt(amount) * nanos
  }
  return total
}

function invalid(): InvalidArgumentError {
  return new InvalidArgumentError('expected a duration such as 2s, 10m, 1h, 7d, 1w or 1y')
}

function spellings(names: string[], nanos: bigint): [string, bigint][] {
  return names.map((name) => [name, nanos])
}
