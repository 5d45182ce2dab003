import type { ParsedLine } from '../types.js'
import { MINUS } from './char-codes.js'
import { isInt64 } from './int64-range.js'
import { expectedSpace, invalidTimestamp, trailingContent } from './line-error-messages.js'
import type { LineCursor } from './line-cursor.js'
import { readFieldSet } from './field-set-reader.js'
import { readMeasurement, readTagSet } from './series-reader.js'

/**
 * Reads the whole line the cursor points at, of the form
 * `measurement[,tag=value…] field=value[,field=value…] [timestamp]`. Returns undefined when
 * the line is refused; the cursor then holds the reference's message.
 */
export function readLine(
  cursor: LineCursor,
  lineNumber: number,
  originalLine: string,
): ParsedLine | undefined {
  const measurement = readMeasurement(cursor)
  if (measurement === undefined) return undefined

  const tags = readTagSet(cursor)
  if (tags === undefined) return undefined
  if (!cursor.skipSpaces()) return cursor.reject(expectedSpace(cursor.rest()))

  const fields = readFieldSet(cursor)
  if (fields === undefined) return undefined

  const timestamp = readTimestamp(cursor)
  if (cursor.rejected()) return undefined
  if (!cursor.atEnd()) return cursor.reject(trailingContent(cursor.rest()))

  return { measurement, tags, fields, timestamp, lineNumber, originalLine }
}

// Trailing spaces are allowed, with or without a timestamp before them. Spaces before
// something that is not a number stay unread, so the trailing-content message quotes them
// as the reference does.
function readTimestamp(cursor: LineCursor): bigint | undefined {
  const spacesStart = cursor.pos
  if (!cursor.skipSpaces() || cursor.atEnd()) return undefined

  const timestamp = readTimestampValue(cursor)
  if (timestamp === undefined) return cursor.rewind(spacesStart)

  cursor.skipSpaces()
  return timestamp
}

function readTimestampValue(cursor: LineCursor): bigint | undefined {
  const start = cursor.pos
  const digitsStart = cursor.peek() === MINUS ? start + 1 : start
  const digitsEnd = cursor.digitsEnd(digitsStart)
  if (digitsEnd === digitsStart) return undefined

  const digits = cursor.text.slice(start, digitsEnd)
  const timestamp = BigInt(digits)
  if (!isInt64(timestamp)) return cursor.reject(invalidTimestamp(digits))

  cursor.pos = digitsEnd
  return timestamp
}
