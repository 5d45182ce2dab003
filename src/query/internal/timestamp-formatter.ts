const NANOS_PER_SECOND = 1_000_000_000n
const SECONDS_PER_DAY = 86_400n
// 10000-01-01T00:00:00: from the epoch up to here every year has four digits and no sign.
const FAST_LIMIT_NANOS = 253_402_300_800n * NANOS_PER_SECOND
const DAYS_PER_ERA = 146_097n
const EPOCH_SHIFT_DAYS = 719_468n

interface CivilDate {
  year: bigint
  month: bigint
  day: bigint
}

/**
 * Formats nanoseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS` plus the shortest exact
 * fraction of 0, 3, 6 or 9 digits, without a zone: the text InfluxDB 3 prints for a
 * `Timestamp(Nanosecond, None)` value. Exact for every bigint, before 1970 and after 9999 too.
 *
 * @example
 * formatTimestamp(155n) // '1970-01-01T00:00:00.000000155'
 */
export function formatTimestamp(nanos: bigint): string {
  if (nanos < 0n || nanos >= FAST_LIMIT_NANOS) return formatAnyTimestamp(nanos)

  // Two bigint operations, then plain numbers: whole seconds stay far below 2^53 here.
  const seconds = Number(nanos / NANOS_PER_SECOND)
  const fraction = Number(nanos % NANOS_PER_SECOND)
  const days = Math.floor(seconds / 86_400)

  return `${dayText(days)}T${clockText(seconds - days * 86_400)}${fractionDigits(fraction)}`
}

// Rows of a result tend to share their day, so the date text of the last one is kept.
let lastDays = Number.NaN
let lastDayText = ''

function dayText(days: number): string {
  if (days !== lastDays) {
    lastDayText = dateText(civilFromDays(BigInt(days)))
    lastDays = days
  }
  return lastDayText
}

function clockText(secondOfDay: number): string {
  const hours = Math.floor(secondOfDay / 3600)
  const minutes = Math.floor(secondOfDay / 60) % 60

  return `${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(secondOfDay % 60)}`
}

// Looked up three digits at a time: about twice as fast as printing and padding each number.
function fractionDigits(fraction: number): string {
  if (fraction === 0) return ''

  const millis = Math.floor(fraction / 1_000_000)
  const micros = Math.floor(fraction / 1000) % 1000
  const nanos = fraction % 1000
  if (micros === 0 && nanos === 0) return `.${threeDigits(millis)}`
  if (nanos === 0) return `.${threeDigits(millis)}${threeDigits(micros)}`

  return `.${threeDigits(millis)}${threeDigits(micros)}${threeDigits(nanos)}`
}

const paddedTo2 = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'))
const paddedTo3 = Array.from({ length: 1000 }, (_, value) => String(value).padStart(3, '0'))

function twoDigits(value: number): string {
  return paddedTo2[value] ?? String(value)
}

function threeDigits(value: number): string {
  return paddedTo3[value] ?? String(value)
}

/** Any bigint, in bigint arithmetic throughout. */
function formatAnyTimestamp(nanos: bigint): string {
  const seconds = floorDiv(nanos, NANOS_PER_SECOND)
  const fraction = nanos - seconds * NANOS_PER_SECOND

  const days = floorDiv(seconds, SECONDS_PER_DAY)
  const secondOfDay = seconds - days * SECONDS_PER_DAY

  return `${dateText(civilFromDays(days))}T${timeText(secondOfDay)}${fractionText(fraction)}`
}

function floorDiv(value: bigint, divisor: bigint): bigint {
  const quotient = value / divisor
  return value % divisor < 0n ? quotient - 1n : quotient
}

// Proleptic Gregorian calendar from a day count, in 400-year eras so that every step stays
// within non-negative integers (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
function civilFromDays(daysSinceEpoch: bigint): CivilDate {
  const shifted = daysSinceEpoch + EPOCH_SHIFT_DAYS
  const era = floorDiv(shifted, DAYS_PER_ERA)
  const dayOfEra = shifted - era * DAYS_PER_ERA

  const yearOfEra = (dayOfEra - dayOfEra / 1460n + dayOfEra / 36_524n - dayOfEra / 146_096n) / 365n
  const dayOfYear = dayOfEra - (365n * yearOfEra + yearOfEra / 4n - yearOfEra / 100n)

  const shiftedMonth = (5n * dayOfYear + 2n) / 153n
  const day = dayOfYear - (153n * shiftedMonth + 2n) / 5n + 1n
  const month = shiftedMonth < 10n ? shiftedMonth + 3n : shiftedMonth - 9n
  const year = yearOfEra + era * 400n + (month <= 2n ? 1n : 0n)

  return { year, month, day }
}

// Years outside 0..9999 carry a sign and at least four digits, as chrono prints them.
function dateText({ year, month, day }: CivilDate): string {
  const yearText =
    year >= 0n && year <= 9999n ? pad(year, 4) : `${year < 0n ? '-' : '+'}${pad(abs(year), 4)}`

  return `${yearText}-${pad(month, 2)}-${pad(day, 2)}`
}

function timeText(secondOfDay: bigint): string {
  const hours = secondOfDay / 3600n
  const minutes = (secondOfDay % 3600n) / 60n
  const seconds = secondOfDay % 60n

  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}`
}

function fractionText(fraction: bigint): string {
  if (fraction === 0n) return ''
  if (fraction % 1_000_000n === 0n) return `.${pad(fraction / 1_000_000n, 3)}`
  if (fraction % 1000n === 0n) return `.${pad(fraction / 1000n, 6)}`

  return `.${pad(fraction, 9)}`
}

function pad(value: bigint, width: number): string {
  return value.toString().padStart(width, '0')
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value
}
