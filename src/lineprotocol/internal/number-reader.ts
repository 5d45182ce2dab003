import { DOT, LOWER_E, LOWER_I, LOWER_U, MINUS, PLUS, UPPER_E, isDigit } from './char-codes.js'
import { isInt64, isUint64 } from './int64-range.js'
import { invalidInteger, invalidUnsigned } from './line-error-messages.js'
import type { LineBatchBuilder } from './line-batch-builder.js'
import type { LineCursor } from './line-cursor.js'

// Any 15-digit integer is exact in a double, and so is every power of ten up to 1e22. A
// number of at most 15 characters, its sign and point included, has at most 15 digits.
const EXACT_CHARACTERS = 15
const POWERS_OF_TEN = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
]

/**
 * Reads the numeric value of field `key` into `batch`: `-12i` is an integer, `12u` an
 * unsigned integer, and `12`, `-1.5`, `1e3` or `1.5E-3` a float. Returns false when no
 * number starts at the cursor, and when an integer is out of range; the cursor then holds
 * the message.
 */
export function readNumber(cursor: LineCursor, batch: LineBatchBuilder, key: string): boolean {
  const start = cursor.pos
  const negative = cursor.skip(MINUS)
  const digitsStart = cursor.pos
  // The digits are summed as they are passed, so that a short number is read in one pass.
  const magnitude = cursor.readDigits(0)
  if (cursor.pos === digitsStart) {
    cursor.pos = start
    return false
  }

  const suffix = cursor.peek()
  if (suffix === LOWER_I) {
    const sum = negative ? -magnitude : magnitude
    return readWhole(cursor, batch, key, start, sum, signed)
  }
  // `-1u` is no unsigned value: it reads as the float -1 and leaves `u` as trailing
  // content.
  if (suffix === LOWER_U && !negative) {
    return readWhole(cursor, batch, key, start, magnitude, unsigned)
  }

  const value = readFloat(cursor, digitsStart, magnitude)
  batch.addField(key, 'float', negative ? -value : value)
  return true
}

/** What distinguishes `i` and `u` fields: their type, their range and the refusal. */
interface IntegerKind {
  type: 'integer' | 'uinteger'
  inRange: (value: bigint) => boolean
  refusal: (text: string) => string
}

const signed: IntegerKind = { type: 'integer', inRange: isInt64, refusal: invalidInteger }
const unsigned: IntegerKind = { type: 'uinteger', inRange: isUint64, refusal: invalidUnsigned }

// The cursor stands at the suffix; `sum` is the value of the digits before it. Positional
// arguments: this runs for every integer field, and an object per call would feed the GC.
function readWhole(
  cursor: LineCursor,
  batch: LineBatchBuilder,
  key: string,
  start: number,
  sum: number,
  kind: IntegerKind,
): boolean {
  const value = integerValue(cursor, start, sum)
  if (!kind.inRange(value)) return cursor.refuse(kind.refusal(cursor.text.slice(start, cursor.pos)))

  cursor.pos++
  batch.addField(key, kind.type, value)
  return true
}

// A short integer converts from its exact sum, which is cheaper than parsing text as a
// BigInt.
function integerValue(cursor: LineCursor, start: number, sum: number): bigint {
  if (cursor.pos - start > EXACT_CHARACTERS) return BigInt(cursor.text.slice(start, cursor.pos))

  return BigInt(sum)
}

// The magnitude of the float: the cursor stands after the integer digits, whose value is
// `integer`. A short mantissa without exponent is divided by its power of ten: both are
// exact, and one division rounds correctly, giving the same double as parsing the text.
function readFloat(cursor: LineCursor, digitsStart: number, integer: number): number {
  const pointAt = cursor.pos
  const mantissa = skipFractionPoint(cursor) ? cursor.readDigits(integer) : integer
  const fractionDigits = cursor.pos > pointAt ? cursor.pos - pointAt - 1 : 0
  const power = POWERS_OF_TEN[fractionDigits]
  const short = cursor.pos - digitsStart <= EXACT_CHARACTERS
  if (skipExponent(cursor) || !short || power === undefined) {
    // Digit strings too long for a double become Infinity, as in the reference.
    return Number(cursor.text.slice(digitsStart, cursor.pos))
  }

  return mantissa / power
}

// A point needs a digit after it, and an exponent needs one too; otherwise the number
// stops before them and what follows is reported as trailing content (`1.`, `1e`, `1e+`,
// `1.5E-`).
function skipFractionPoint(cursor: LineCursor): boolean {
  if (cursor.peek() !== DOT || !isDigit(cursor.codeAt(cursor.pos + 1))) return false

  cursor.pos++
  return true
}

function skipExponent(cursor: LineCursor): boolean {
  const marker = cursor.peek()
  if (marker !== LOWER_E && marker !== UPPER_E) return false

  const sign = cursor.codeAt(cursor.pos + 1)
  const digitsStart = sign === PLUS || sign === MINUS ? cursor.pos + 2 : cursor.pos + 1
  const digitsEnd = cursor.digitsEnd(digitsStart)
  if (digitsEnd === digitsStart) return false

  cursor.pos = digitsEnd
  return true
}
