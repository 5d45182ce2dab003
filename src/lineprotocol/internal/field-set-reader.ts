import { COMMA, EQUALS } from './char-codes.js'
import { readFieldValue } from './field-value-reader.js'
import { NO_FIELDS } from './line-error-messages.js'
import type { LineBatchBuilder } from './line-batch-builder.js'
import type { LineCursor } from './line-cursor.js'
import { fieldKeyNames } from './repeated-names.js'

/**
 * Reads the comma-separated `key=value` fields of a line into `batch`; at least one is
 * required. Returns false when the line is refused; the cursor then holds the message.
 */
export function readFieldSet(cursor: LineCursor, batch: LineBatchBuilder): boolean {
  if (!readField(cursor, batch, 0)) return cursor.refuseOnce(NO_FIELDS)
  if (!cursor.skip(COMMA)) return true

  return readMoreFields(cursor, batch)
}

// A field that does not parse ends the set and leaves the rest as trailing content. The
// reference quotes that rest from after the comma when the second field fails, and from
// the comma itself when a later one does.
function readMoreFields(cursor: LineCursor, batch: LineBatchBuilder): boolean {
  let place = 1
  let read = readField(cursor, batch, place)
  while (read) {
    const commaAt = cursor.pos
    if (!cursor.skip(COMMA)) return true

    place++
    read = readField(cursor, batch, place)
    if (!read) cursor.pos = commaAt
  }

  return !cursor.rejected()
}

// `place` counts the line's fields from 0.
function readField(cursor: LineCursor, batch: LineBatchBuilder, place: number): boolean {
  const start = cursor.pos
  const key = fieldKeyNames.read(cursor, place)
  if (key === undefined) return false
  if (!cursor.skip(EQUALS) || !readFieldValue(cursor, batch, key)) {
    cursor.pos = start
    return false
  }

  return true
}
