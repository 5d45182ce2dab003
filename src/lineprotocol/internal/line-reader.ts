import { MINUS, isDigit } from './char-codes.js'
import { readFieldSet } from './field-set-reader.js'
import { isInt64 } from './int64-range.js'
import type { LineBatchBuilder } from './line-batch-builder.js'
import { expectedSpace, invalidTimestamp, trailingContent } from './line-error-messages.js'
import type { LineCursor } from './line-cursor.js'
import { readMeasurement, readTagSet } from './series-reader.js'

/**
 * Reads the whole line the cursor points at into `batch`, of the form
 * `measurement[,tag=value…] field=value[,field=value…] [timestamp]`, as line `lineNumber`
 * whose raw text starts at `start`. Returns false when the line is refused, having added
 * nothing; the cursor then holds the reference's message.
 */
export function readLine(
  cursor: LineCursor,
  batch: LineBatchBuilder,
  lineNumber: number,
  start: number,
): boolean {
  batch.startLine()
  if (readParts(cursor, batch)) {
    batch.endLine(lineNumber, start, cursor.end)
    return true
  }

  batch.dropLine()
  return false
}

function readParts(cursor: LineCursor, batch: LineBatchBuilder): boolean {
  const measurement = readMeasurement(cursor)
  if (measurement === undefined || !readTagSet(cursor, batch)) return false
  if (!cursor.skipSpaces()) return cursor.refuse(expectedSpace(cursor.rest()))
  if (!readFieldSet(cursor, batch)) return false

  const timestamp = readTimestamp(cursor)
  if (cursor.rejected()) return false
  if (!cursor.atEnd()) return cursor.refuse(trailingContent(cursor.rest()))

  batch.setLine(measurement, timestamp)
  return true
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

// Lines of a batch mostly share their timestamp with the line before, which then needs
// neither a slice nor a BigInt of its own.
function readTimestampValue(cursor: LineCursor): bigint | undefined {
  const start = cursor.pos
  if (repeatsTimestamp(cursor, start)) {
    cursor.pos = start + cursor.timestampEnd - cursor.timestampStart
    return cursor.timestamp
  }

  const digitsStart = cursor.peek() === MINUS ? start + 1 : start
  const digitsEnd = cursor.digitsEnd(digitsStart)
  if (digitsEnd === digitsStart) return undefined

  cursor.pos = digitsEnd

  const digits = cursor.text.slice(start, digitsEnd)
  const timestamp = BigInt(digits)
  if (!isInt64(timestamp)) return cursor.reject(invalidTimestamp(digits))

  cursor.timestampStart = start
  cursor.timestampEnd = digitsEnd
  cursor.timestamp = timestamp
  return timestamp
}

// The same characters as the previous timestamp, and no digit after them. A loop over the
// characters: comparing the texts as strings would first need a slice.
function repeatsTimestamp(cursor: LineCursor, start: number): boolean {
  const { text, timestampStart } = cursor
  const length = cursor.timestampEnd - timestampStart
  if (length === 0 || start + length > cursor.end) return false

  for (let offset = 0; offset < length; offset++) {
    if (text.charCodeAt(start + offset) !== text.charCodeAt(timestampStart + offset)) return false
  }
  return !isDigit(cursor.codeAt(start + length))
}
