import {
  DIGIT_ZERO,
  DOT,
  LOWER_E,
  LOWER_I,
  LOWER_U,
  MINUS,
  PLUS,
  UPPER_E,
  isDigit,
} from './char-codes.js'
import { isInt64, isUint64 } from './int64-range.js'
import { invalidInteger, invalidUnsigned } from './line-error-messages.js'
import type { LineBatchBuilder } from './line-batch-builder.js'
import type { LineCursor } from './line-cursor.js'

// Any 15-digit integer is exact in a double, and so is every power of ten up to 1e22.
const EXACT_DIGITS = 15
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
  const negative = cursor.peek() === MINUS
  const digitsStart = negative ? start + 1 : start
  const digitsEnd = cursor.digitsEnd(digitsStart)
  if (digitsEnd === digitsStart) return false

  const suffix = cursor.codeAt(digitsEnd)
  if (suffix === LOWER_I) return readInteger(cursor, batch, key, start, digitsEnd)
  // `-1u` is no unsigned value: it reads as the float -1 and leaves `u` as trailing
  // content.
  if (suffix === LOWER_U && !negative) return readUnsigned(cursor, batch, key, start, digitsEnd)

  batch.addField(key, 'float', readFloat(cursor, start, digitsEnd))
  return true
}

function readInteger(
  cursor: LineCursor,
  batch: LineBatchBuilder,
  key: string,
  start: number,
  digitsEnd: number,
): boolean {
  const value = integerValue(cursor.text, start, digitsEnd)
  if (!isInt64(value)) return cursor.refuse(invalidInteger(cursor.text.slice(start, digitsEnd)))

  cursor.pos = digitsEnd + 1
  batch.addField(key, 'integer', value)
  return true
}

function readUnsigned(
  cursor: LineCursor,
  batch: LineBatchBuilder,
  key: string,
  start: number,
  digitsEnd: number,
): boolean {
  const value = integerValue(cursor.text, start, digitsEnd)
  if (!isUint64(value)) return cursor.refuse(invalidUnsigned(cursor.text.slice(start, digitsEnd)))

  cursor.pos = digitsEnd + 1
  batch.addField(key, 'uinteger', value)
  return true
}

// Short integers are summed exactly as a double, which is cheaper than parsing text as a
// BigInt.
function integerValue(text: string, start: number, end: number): bigint {
  const negative = text.charCodeAt(start) === MINUS
  const digitsStart = negative ? start + 1 : start
  if (end - digitsStart > EXACT_DIGITS) return BigInt(text.slice(start, end))

  const magnitude = BigInt(sumDigits(text, digitsStart, end, end))
  return negative ? -magnitude : magnitude
}

function readFloat(cursor: LineCursor, start: number, integerEnd: number): number {
  const mantissaEnd = fractionEnd(cursor, integerEnd)
  const end = exponentEnd(cursor, mantissaEnd)
  cursor.pos = end

  const value = end === mantissaEnd ? decimalValue(cursor.text, start, integerEnd, end) : undefined
  // Digit strings too long for a double become Infinity, as in the reference.
  return value ?? Number(cursor.text.slice(start, end))
}

// A dot needs a digit after it and an exponent needs one too; otherwise the number stops
// before them and what follows is reported as trailing content (`1.`, `1e`, `1e+`,
// `1.5E-`).
function fractionEnd(cursor: LineCursor, integerEnd: number): number {
  if (cursor.codeAt(integerEnd) !== DOT || !isDigit(cursor.codeAt(integerEnd + 1))) {
    return integerEnd
  }

  return cursor.digitsEnd(integerEnd + 1)
}

function exponentEnd(cursor: LineCursor, mantissaEnd: number): number {
  const marker = cursor.codeAt(mantissaEnd)
  if (marker !== LOWER_E && marker !== UPPER_E) return mantissaEnd

  const sign = cursor.codeAt(mantissaEnd + 1)
  const digitsStart = sign === PLUS || sign === MINUS ? mantissaEnd + 2 : mantissaEnd + 1
  const digitsEnd = cursor.digitsEnd(digitsStart)

  return digitsEnd > digitsStart ? digitsEnd : mantissaEnd
}

// With at most 15 digits, the digits as an integer and the power of ten are both exact,
// and one division rounds correctly: the same double as parsing the text. Longer numbers
// return undefined.
function decimalValue(
  text: string,
  start: number,
  integerEnd: number,
  end: number,
): number | undefined {
  const negative = text.charCodeAt(start) === MINUS
  const digitsStart = negative ? start + 1 : start
  const fractionDigits = end > integerEnd ? end - integerEnd - 1 : 0
  const power = POWERS_OF_TEN[fractionDigits]
  if (power === undefined || integerEnd - digitsStart + fractionDigits > EXACT_DIGITS) {
    return undefined
  }

  const value = sumDigits(text, digitsStart, end, integerEnd) / power
  return negative ? -value : value
}

function sumDigits(text: string, start: number, end: number, dotAt: number): number {
  let sum = 0
  for (let i = start; i < end; i++) {
    if (i !== dotAt) sum = sum * 10 + (text.charCodeAt(i) - DIGIT_ZERO)
  }

  return sum
}
