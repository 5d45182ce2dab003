import { FluxgateError } from '../errors/index.js'

const nanosPerSecond = 1_000_000_000n

const unitSeconds: Record<string, bigint> = {
  s: 1n,
  m: 60n,
  h: 3_600n,
  d: 86_400n,
  w: 604_800n,
  mo: 2_592_000n,
  y: 31_536_000n,
}

const unitAliases: Record<string, string> = {
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  day: 'd',
  days: 'd',
  week: 'w',
  weeks: 'w',
  month: 'mo',
  months: 'mo',
  year: 'y',
  years: 'y',
}

/**
 * Parses a retention period such as `7d`, `1h30m`, `2w`, `1mo` (30 days) or `1y` (365 days)
 * into nanoseconds. `none`, `infinite` and an empty text mean no retention (undefined).
 */
export function parseRetentionPeriod(text: string): bigint | undefined {
  const compact = text.toLowerCase().replace(/\s+/g, '')
  if (compact === '' || compact === 'none' || compact === 'infinite') return undefined

  let seconds = 0n
  let consumed = 0
  for (const match of compact.matchAll(/(\d+)([a-z]+)/gy)) {
    const unit = unitSeconds[unitAliases[match[2] ?? ''] ?? match[2] ?? '']
    if (unit === undefined) throw invalidRetention(text)
    seconds += BigInt(match[1] ?? '0') * unit
    consumed += match[0].length
  }

  if (consumed !== compact.length || seconds === 0n) throw invalidRetention(text)
  return seconds * nanosPerSecond
}

/** Formats nanoseconds as the reference's Go-style duration (`168h0m0s`, `0s`). */
export function formatGoDuration(nanos: bigint | undefined): string {
  if (nanos === undefined || nanos === 0n) return '0s'

  const totalSeconds = nanos / nanosPerSecond
  const hours = totalSeconds / 3_600n
  const minutes = (totalSeconds % 3_600n) / 60n
  const seconds = `${totalSeconds % 60n}${fraction(nanos % nanosPerSecond)}s`
  if (hours > 0n) return `${hours}h${minutes}m${seconds}`
  if (minutes > 0n) return `${minutes}m${seconds}`
  return seconds
}

/** `.5` for half a second, nothing for whole seconds: Go trims trailing zeros. */
function fraction(nanos: bigint): string {
  if (nanos === 0n) return ''
  return `.${nanos.toString().padStart(9, '0').replace(/0+$/, '')}`
}

function invalidRetention(text: string): FluxgateError {
  return new FluxgateError('ERR_INVALID_RETENTION', `invalid retention period: ${text}`)
}
