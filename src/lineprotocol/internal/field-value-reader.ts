import type { FieldValue } from '../types.js'
import { BACKSLASH, DOUBLE_QUOTE, END_OF_LINE, MINUS, isDigit } from './char-codes.js'
import { STRING_TOO_LARGE } from './line-error-messages.js'
import type { LineCursor } from './line-cursor.js'
import { readNumber } from './number-reader.js'
import { isOverStringLimit } from './utf8-length.js'

// The reference tries these in this order, each as a prefix: `tru` reads as `t` and
// leaves `ru` as trailing content.
const BOOLEAN_SPELLINGS: ReadonlyArray<readonly [spelling: string, value: boolean]> = [
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['t', true],
  ['T', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
  ['f', false],
  ['F', false],
]

/**
 * Reads the field value at the cursor. Returns undefined when no value starts here, and
 * when the value is refused; the cursor then holds the message.
 */
export function readFieldValue(cursor: LineCursor): FieldValue | undefined {
  const code = cursor.peek()
  if (code === DOUBLE_QUOTE) return readString(cursor)
  if (code === MINUS || isDigit(code)) return readNumber(cursor)

  return readBoolean(cursor)
}

// Only `\"` and `\\` are escapes inside a string; any other backslash is kept as written.
// A string without its closing quote is no value at all.
function readString(cursor: LineCursor): FieldValue | undefined {
  const { text, end } = cursor
  let value = ''
  let pieceStart = cursor.pos + 1
  let i = pieceStart
  while (i < end) {
    const code = text.charCodeAt(i)
    if (code === DOUBLE_QUOTE) return closeString(cursor, value + text.slice(pieceStart, i), i + 1)

    const escaped = code === BACKSLASH && i + 1 < end ? text.charCodeAt(i + 1) : END_OF_LINE
    if (escaped === DOUBLE_QUOTE || escaped === BACKSLASH) {
      value += text.slice(pieceStart, i)
      pieceStart = i + 1
      i += 2
    } else {
      i++
    }
  }

  return undefined
}

function closeString(cursor: LineCursor, value: string, after: number): FieldValue | undefined {
  if (isOverStringLimit(value)) return cursor.reject(STRING_TOO_LARGE)

  cursor.pos = after
  return { type: 'string', value }
}

function readBoolean(cursor: LineCursor): FieldValue | undefined {
  for (const [spelling, value] of BOOLEAN_SPELLINGS) {
    if (cursor.startsWith(spelling)) {
      cursor.pos += spelling.length
      return { type: 'boolean', value }
    }
  }

  return undefined
}
