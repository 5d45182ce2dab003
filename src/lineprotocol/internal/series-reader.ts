import { COMMA, EQUALS } from './char-codes.js'
import {
  INVALID_MEASUREMENT,
  expectedTagKey,
  expectedTagValue,
  tagSetMissingEquals,
} from './line-error-messages.js'
import type { LineCursor } from './line-cursor.js'
import { MEASUREMENT, TAG_KEY, TAG_VALUE, readName } from './name-reader.js'

/** A tag as the parser returns it. */
export type Tag = [key: string, value: string]

/**
 * Reads the measurement that opens a line. Returns undefined when the line is refused;
 * the cursor then holds the message.
 */
export function readMeasurement(cursor: LineCursor): string | undefined {
  const measurement = readName(cursor, MEASUREMENT)
  if (measurement === undefined) return cursor.rejectOnce(INVALID_MEASUREMENT)

  return measurement
}

/**
 * Reads the tag set after the measurement: nothing, or `,` and one or more
 * comma-separated `key=value` pairs. Returns undefined when the line is refused; the
 * cursor then holds the message.
 */
export function readTagSet(cursor: LineCursor): Tag[] | undefined {
  const tags: Tag[] = []
  if (!cursor.skip(COMMA)) return tags

  const tagSetStart = cursor.pos
  do {
    const tag = readTag(cursor, tagSetStart)
    if (tag === undefined) return undefined

    tags.push(tag)
  } while (cursor.skip(COMMA))

  return tags
}

// A missing `=` quotes the whole tag set from its first key on, as the reference does;
// the other messages quote the text from where the key or value should have started.
function readTag(cursor: LineCursor, tagSetStart: number): Tag | undefined {
  const key = readName(cursor, TAG_KEY)
  if (key === undefined) return cursor.rejectOnce(expectedTagKey(cursor.rest()))

  if (!cursor.skip(EQUALS)) {
    return cursor.reject(tagSetMissingEquals(cursor.text.slice(tagSetStart, cursor.end)))
  }

  const value = readName(cursor, TAG_VALUE)
  if (value === undefined) return cursor.rejectOnce(expectedTagValue(cursor.rest()))

  return [key, value]
}
