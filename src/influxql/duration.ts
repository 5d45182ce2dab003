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

// Longer units first, so `ms` is not read as `m` followed by `s`.
const segment = /^(\d+)(ns|ms|u|µ|s|m|h|d|w)/

/**
 * The nanoseconds of an InfluxQL duration literal such as `90s`, `1h30m` or `10ms`, or
 * undefined when `text` is not one.
 *
 * @example
 * parseDuration('1h30m') // 5_400_000_000_000n
 */
export function parseDuration(text: string): bigint | undefined {
  let rest = text
  let total = 0n
  while (rest !== '') {
    const match = segment.exec(rest)
    const [whole = '', digits = '', unit = ''] = match ?? []
    if (match === null || !isTimeUnit(unit)) return undefined

    total += BigInt(digits) * unitNanos[unit]
    rest = rest.slice(whole.length)
  }
  return text === '' ? undefined : total
}

/** The length of the duration literal at the start of `text` (0 when there is none). */
export function durationLength(text: string): number {
  let length = 0
  for (;;) {
    const match = segment.exec(text.slice(length))
    if (match === null) return length
    length += match[0].length
  }
}
