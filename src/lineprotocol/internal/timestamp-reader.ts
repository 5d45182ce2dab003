import { MINUS, isDigit } from './char-codes.js'
import { isInt64 } from './int64-range.js'
import { invalidTimestamp } from './line-error-messages.js'
import type { LineCursor } from './line-cursor.js'

// The first ten digits of a nanosecond timestamp count whole seconds and change far less
// often than the digits after them.
const LEADING_DIGITS = 10
// Any number of up to 15 digits sums exactly in a double.
const EXACT_DIGITS = 15
const EXACT_POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5]
// Any timestamp of up to 18 digits fits 64 bits, and one of 19 whose first ten digits stay
// below this.
const SAFE_DIGITS = 18
const SAFE_LEADING = 9_223_372_036

/**
 * The latest timestamp read in a batch. Lines mostly repeat it, and otherwise mostly share
 * its leading digits.
 */
export class LatestTimestamp {
  /** As written, once a line has repeated it. */
  text = ''
  value = 0n
  /** True when the latest timestamp was the same as the one before it. */
  repeated = false
  /** The leading digits of the latest long timestamp, and how many digits follow them. */
  leading = -1
  trailingDigits = 0
  /** The value of those leading digits with zeros in place of the trailing ones. */
  leadingValue = 0n
}

/**
 * Reads the timestamp that may end a line, after its field set. Returns undefined when
 * there is none, and when it is refused; the cursor then holds the message.
 */
export function readTimestamp(cursor: LineCursor): bigint | undefined {
  // Trailing spaces are allowed, with or without a timestamp before them. Spaces before
  // something that is not a number stay unread, so the trailing-content message quotes
  // them as the reference does.
  const spacesStart = cursor.pos
  if (!cursor.skipSpaces() || cursor.atEnd()) return undefined

  const timestamp = readTimestampValue(cursor, cursor.latestTimestamp)
  if (timestamp === undefined) return cursor.rewind(spacesStart)

  cursor.skipSpaces()
  return timestamp
}

// Lines of a batch mostly share their timestamp with the line before, which then needs
// neither a BigInt of its own nor reading digit by digit. Where each line has a timestamp
// of its own, the comparison is skipped until two lines share one again.
function readTimestampValue(cursor: LineCursor, latest: LatestTimestamp): bigint | undefined {
  const start = cursor.pos
  if (latest.repeated && repeatsTimestamp(cursor, latest.text)) {
    cursor.pos += latest.text.length
    return latest.value
  }

  const timestamp = readNewTimestamp(cursor, latest)
  if (timestamp === undefined) return undefined

  latest.repeated = timestamp === latest.value
  if (latest.repeated) latest.text = cursor.text.slice(start, cursor.pos)
  latest.value = timestamp
  return timestamp
}

// The same characters as the latest timestamp, and no digit after them. Comparing the
// texts whole costs far less than a loop over their characters.
function repeatsTimestamp(cursor: LineCursor, latest: string): boolean {
  const after = cursor.pos + latest.length
  if (latest === '' || after > cursor.end) return false

  return cursor.text.startsWith(latest, cursor.pos) && !isDigit(cursor.codeAt(after))
}

// The digits are summed as they are passed, the leading ten apart from the rest so that
// both sums stay exact. Building the value from them costs less than parsing the text as a
// BigInt, and the leading part is mostly the latest timestamp's.
function readNewTimestamp(cursor: LineCursor, latest: LatestTimestamp): bigint | undefined {
  const start = cursor.pos
  const negative = cursor.skip(MINUS)
  const digitsStart = cursor.pos
  const leading = cursor.readDigits(0, LEADING_DIGITS)
  const trailingStart = cursor.pos
  const trailing = cursor.readDigits(0)
  const digits = cursor.pos - digitsStart
  if (digits === 0) return undefined
  if (!fitsSurely(digits, leading)) return parseTimestamp(cursor, start)

  const trailingDigits = cursor.pos - trailingStart
  const magnitude =
    digits <= EXACT_DIGITS
      ? BigInt(leading * (EXACT_POWERS_OF_TEN[trailingDigits] ?? 1) + trailing)
      : leadingValue(latest, leading, trailingDigits) + BigInt(trailing)
  return negative ? -magnitude : magnitude
}

function fitsSurely(digits: number, leading: number): boolean {
  return digits <= SAFE_DIGITS || (digits === SAFE_DIGITS + 1 && leading < SAFE_LEADING)
}

// Timestamps beyond the fast path: over 19 digits, which leading zeros allow, or close to
// the limit of 64 bits.
function parseTimestamp(cursor: LineCursor, start: number): bigint | undefined {
  const digits = cursor.text.slice(start, cursor.pos)
  const timestamp = BigInt(digits)
  if (!isInt64(timestamp)) return cursor.reject(invalidTimestamp(digits))

  return timestamp
}

function leadingValue(latest: LatestTimestamp, leading: number, trailingDigits: number): bigint {
  if (latest.leading !== leading || latest.trailingDigits !== trailingDigits) {
    latest.leading = leading
    latest.trailingDigits = trailingDigits
    latest.leadingValue = BigInt(leading) * 10n ** BigInt(trailingDigits)
  }

  return latest.leadingValue
}
