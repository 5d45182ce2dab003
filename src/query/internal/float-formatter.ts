/** The shortest digits that read back as the same double, and the power of ten of the first. */
interface Decimal {
  digits: string
  exponent: number
}

/**
 * Formats a double for JSON the way InfluxDB 3's JSON writer does: shortest round-trip digits,
 * always a fraction (`1.0`), scientific notation below 1e-5 and from 1e10 (`1.0e10`, `1.5e-7`).
 * NaN and infinities have no JSON number, so they become `null`.
 */
export function formatJsonFloat(value: number): string {
  if (!Number.isFinite(value)) return 'null'
  if (isPositional(value, 1e10)) return withFraction(String(value))
  if (value === 0) return signOf(value) + '0.0'

  const { digits, exponent } = decimalOf(value)
  const body =
    exponent < -5 || exponent > 9
      ? `${mantissaText(digits)}e${exponent}`
      : positionalText(digits, exponent)

  return signOf(value) + body
}

/**
 * Formats a double for CSV and pretty tables the way InfluxDB 3's text output does: shortest
 * round-trip digits with a fraction (`1.0`), scientific notation below 1e-5 and from 1e16
 * (`1e16`, `1.5e-7`), and `NaN`, `inf`, `-inf` for the values that are not finite.
 */
export function formatDisplayFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf'
  if (isPositional(value, 1e16)) return withFraction(String(value))
  if (value === 0) return signOf(value) + '0.0'

  const { digits, exponent } = decimalOf(value)
  const body =
    exponent < -5 || exponent > 15
      ? `${digits.length === 1 ? digits : mantissaText(digits)}e${exponent}`
      : positionalText(digits, exponent)

  return signOf(value) + body
}

// From 1e-5 up to `limit` (at most 1e21), String() prints the same shortest digits without an
// exponent, several times faster than building the text from toExponential(). A double below
// 1e-5 cannot have shortest digits of 1e-5 or more, nor one below `limit` digits of `limit`.
function isPositional(value: number, limit: number): boolean {
  const magnitude = Math.abs(value)
  return magnitude >= 1e-5 && magnitude < limit
}

function withFraction(text: string): string {
  return text.includes('.') ? text : `${text}.0`
}

// toExponential() without an argument yields the shortest digits that round-trip.
function decimalOf(value: number): Decimal {
  const [mantissa = '', exponent = '0'] = Math.abs(value).toExponential().split('e')

  return { digits: mantissa.replace('.', ''), exponent: Number(exponent) }
}

function mantissaText(digits: string): string {
  return `${digits.slice(0, 1)}.${digits.length > 1 ? digits.slice(1) : '0'}`
}

function positionalText(digits: string, exponent: number): string {
  if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`

  const integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
  const fraction = digits.slice(exponent + 1)

  return `${integer}.${fraction === '' ? '0' : fraction}`
}

function signOf(value: number): string {
  return value < 0 || Object.is(value, -0) ? '-' : ''
}
