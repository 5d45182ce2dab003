import { formatTimestamp } from '../../query/index.js'

const zeroCode = '0'.charCodeAt(0)

/**
 * Nanoseconds since the epoch as Go's RFC 3339 with nanoseconds: UTC, `Z`, and a fraction with
 * its trailing zeros trimmed (none for whole seconds), as InfluxDB 1.x prints times.
 *
 * @example
 * formatRfc3339Nano(1_500_000_000n) // '1970-01-01T00:00:01.5Z'
 */
export function formatRfc3339Nano(nanos: bigint): string {
  const text = formatTimestamp(nanos)
  return `${text.includes('.') ? withoutTrailingZeros(text) : text}Z`
}

// The shared formatter pads a fraction to 3, 6 or 9 digits; Go prints only the significant ones.
// A fraction is never all zeros, so trimming stops inside it.
function withoutTrailingZeros(text: string): string {
  let end = text.length
  while (text.charCodeAt(end - 1) === zeroCode) end--
  return text.slice(0, end)
}
