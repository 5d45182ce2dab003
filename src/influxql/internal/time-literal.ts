const timePattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?)?$/

/**
 * Nanoseconds since the epoch for the time strings InfluxQL accepts: RFC 3339 with an optional
 * fraction of up to 9 digits, `YYYY-MM-DD HH:MM:SS[.fraction]` and `YYYY-MM-DD` (both UTC).
 * Undefined for anything else, impossible dates included.
 *
 * @example
 * parseTimeLiteral('1970-01-01T00:00:01.5Z') // 1_500_000_000n
 */
export function parseTimeLiteral(text: string): bigint | undefined {
  const match = timePattern.exec(text)
  if (match === null) return undefined

  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match
  const date = new Date(0)
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day))
  date.setUTCHours(Number(hour), Number(minute), Number(second))
  if (!sameFields(date, [year, month, day, hour, minute, second])) return undefined

  const nanos = BigInt(date.getTime()) * 1_000_000n + BigInt(fraction.padEnd(9, '0'))
  return nanos - zoneOffsetNanos(zone)
}

function sameFields(date: Date, fields: Array<string | undefined>): boolean {
  const actual = [
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  ]
  return actual.every((value, index) => value === Number(fields[index]))
}

function zoneOffsetNanos(zone: string | undefined): bigint {
  if (zone === undefined || zone === 'Z') return 0n

  const sign = zone.startsWith('-') ? -1n : 1n
  const hours = BigInt(zone.slice(1, 3))
  const minutes = BigInt(zone.slice(4, 6))
  return sign * (hours * 60n + minutes) * 60_000_000_000n
}
