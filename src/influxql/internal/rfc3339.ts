const nanosPerSecond = 1_000_000_000n

/**
 * Nanoseconds since the epoch as Go's RFC 3339 with nanoseconds: UTC, `Z`, and a fraction with
 * its trailing zeros trimmed (none for whole seconds), as InfluxDB 1.x prints times.
 *
 * @example
 * formatRfc3339Nano(1_500_000_000n) // '1970-01-01T00:00:01.5Z'
 */
export function formatRfc3339Nano(nanos: bigint): string {
  const remainder = ((nanos % nanosPerSecond) + nanosPerSecond) % nanosPerSecond
  const seconds = (nanos - remainder) / nanosPerSecond
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19)
  const fraction = remainder === 0n ? '' : `.${remainder.toString().padStart(9, '0')}`

  return `${whole}${fraction.replace(/0+$/, '')}Z`
}
