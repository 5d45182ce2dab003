import { COMMA, EQUALS } from './char-codes.js'
import {
  INVALID_MEASUREMENT,
  expectedTagKey,
  expectedTagValue,
  tagSetMissingEquals,
} from './line-error-messages.js'
import type { LineBatchBuilder } from './line-batch-builder.js'
import type { LineCursor } from './line-cursor.js'
import { valueCache } from './name-cache.js'
import { TAG_VALUE, readName } from './name-reader.js'
import { measurementNames, tagKeyNames } from './repeated-names.js'

/**
 * Reads the measurement that opens a line. Returns undefined when the line is refused;
 * the cursor then holds the message.
 */
export function readMeasurement(cursor: LineCursor): string | undefined {
  const measurement = measurementNames.read(cursor, 0)
  if (measurement === undefined) return cursor.rejectOnce(INVALID_MEASUREMENT)

  return measurement
}

/**
 * Reads the tag set after the measurement into `batch`: nothing, or `,` and one or more
 * comma-separated `key=value` pairs. Returns false when the line is refused; the cursor
 * then holds the message.
 */
export function readTagSet(cursor: LineCursor, batch: LineBatchBuilder): boolean {
  if (!cursor.skip(COMMA)) return true

  const tagSetStart = cursor.pos
  let place = 0
  do {
    if (!readTag(cursor, batch, tagSetStart, place++)) return false
  } while (cursor.skip(COMMA))

  return true
}

// A missing `=` quotes the whole tag set from its first key on, as the reference does;
// the other messages quote the text from where the key or value should have started.
// `place` counts the line's tags from 0.
function readTag(
  cursor: LineCursor,
  batch: LineBatchBuilder,
  tagSetStart: number,
  place: number,
): boolean {
  const key = tagKeyNames.read(cursor, place)
  if (key === undefined) return cursor.refuseOnce(expectedTagKey(cursor.rest()))

  if (!cursor.skip(EQUALS)) {
    return cursor.refuse(tagSetMissingEquals(cursor.text.slice(tagSetStart, cursor.end)))
  }

  const value = readName(cursor, TAG_VALUE, valueCache)
  if (value === undefined) return cursor.refuseOnce(expectedTagValue(cursor.rest()))

  batch.addTag(key, value)
  return true
}
