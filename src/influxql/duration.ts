/** Nanoseconds per InfluxQL time unit; `u` and `µ` both stand for microseconds. */
export const unitNanos = {
  ns: 1n,
  u: 1_000n,
  µ: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
} as const

/** An InfluxQL time unit. */
export type TimeUnit = keyof typeof unitNanos

/** Whether `text` names an InfluxQL time unit. */
export function isTimeUnit(text: string): text is TimeUnit {
  return Object.hasOwn(unitNanos, text)
}

// Longer units first, so `ms` is not read as `m` followed by `s`. Sticky: it matches at
// `lastIndex` only, so a long text is read in place rather than copied segment by segment.
const segment = /(\d+)(ns|ms|u|µ|s|m|h|d|w)/y

function segmentAt(text: string, at: number): RegExpExecArray | null {
  segment.lastIndex = at
  return segment.exec(text)
}

/**
 * The nanoseconds of an InfluxQL duration literal such as `90s`, `1h30m` or `10ms`, or
 * undefined when `text` is not one.
 *
 * @example
 * parseDuration('1h30m') // 5_400_000_000_000n
 */
export function parseDuration(text: string): bigint | undefined {
  let at = 0
  let total = 0n
  while (at < text.length) {
    const match = segmentAt(text, at)
    const [whole = '', digits = '', unit = ''] = match ?? []
    if (match === null || !isTimeUnit(unit)) return undefined

    total += BigInt(digits) * unitNanos[unit]
    at += whole.length
  }
  return text === '' ? undefined : total
}

/** The length of the duration literal at `start` in `text` (0 when there is none). */
export function durationLength(text: string, start: number): number {
  let at = start
  for (let match = segmentAt(text, at); match !== null; match = segmentAt(text, at)) {
    at += match[0].length
  }
  return at - start
}
