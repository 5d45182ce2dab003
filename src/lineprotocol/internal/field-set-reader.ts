import type { FieldValue } from '../types.js'
import { COMMA, EQUALS } from './char-codes.js'
import { readFieldValue } from './field-value-reader.js'
import { NO_FIELDS } from './line-error-messages.js'
import type { LineCursor } from './line-cursor.js'
import { FIELD_KEY, readName } from './name-reader.js'

/** A field as the parser returns it. */
export type Field = [key: string, value: FieldValue]

/**
 * Reads the comma-separated `key=value` fields of a line; at least one is required.
 * Returns undefined when the line is refused; the cursor then holds the message.
 */
export function readFieldSet(cursor: LineCursor): Field[] | undefined {
  const first = readField(cursor)
  if (first === undefined) return cursor.rejectOnce(NO_FIELDS)

  const fields = [first]
  if (!cursor.skip(COMMA)) return fields

  return readMoreFields(cursor, fields)
}

// A field that does not parse ends the set and leaves the rest as trailing content. The
// reference quotes that rest from after the comma when the second field fails, and from
// the comma itself when a later one does.
function readMoreFields(cursor: LineCursor, fields: Field[]): Field[] | undefined {
  let field = readField(cursor)
  while (field !== undefined) {
    fields.push(field)

    const commaAt = cursor.pos
    if (!cursor.skip(COMMA)) return fields

    field = readField(cursor)
    if (field === undefined) cursor.pos = commaAt
  }

  return cursor.rejected() ? undefined : fields
}

function readField(cursor: LineCursor): Field | undefined {
  const start = cursor.pos
  const key = readName(cursor, FIELD_KEY)
  if (key === undefined) return undefined
  if (!cursor.skip(EQUALS)) return cursor.rewind(start)

  const value = readFieldValue(cursor)
  if (value === undefined) return cursor.rewind(start)

  return [key, value]
}
