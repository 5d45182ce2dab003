import { BACKSLASH, DOUBLE_QUOTE, END_OF_LINE, MINUS, isDigit } from './char-codes.js'
import { STRING_TOO_LARGE } from './line-error-messages.js'
import type { LineBatchBuilder } from './line-batch-builder.js'
import type { LineCursor } from './line-cursor.js'
import { hashStep, valueCache } from './name-cache.js'
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
 * Reads the value of field `key` at the cursor into `batch`. Returns false when no value
 * starts here, and when the value is refused; the cursor then holds the message.
 */
export function readFieldValue(cursor: LineCursor, batch: LineBatchBuilder, key: string): boolean {
  const code = cursor.peek()
  if (code === DOUBLE_QUOTE) return readString(cursor, batch, key)
  if (code === MINUS || isDigit(code)) return readNumber(cursor, batch, key)

  return readBoolean(cursor, batch, key)
}

// Only `\"` and `\\` are escapes inside a string; any other backslash is kept as written.
// A string without its closing quote is no value at all.
function readString(cursor: LineCursor, batch: LineBatchBuilder, key: string): boolean {
  const { text, end } = cursor
  const start = cursor.pos + 1
  let hash = 0
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i)
    if (code === DOUBLE_QUOTE) {
      return closeString(cursor, batch, key, valueCache.get(text, start, i, hash), i + 1)
    }
    if (code === BACKSLASH) return readEscapedString(cursor, batch, key, i)
    hash = hashStep(hash, code)
  }

  return false
}

function readEscapedString(
  cursor: LineCursor,
  batch: LineBatchBuilder,
  key: string,
  firstBackslash: number,
): boolean {
  const { text, end } = cursor
  let value = ''
  let pieceStart = cursor.pos + 1
  let i = firstBackslash
  while (i < end) {
    const code = text.charCodeAt(i)
    if (code === DOUBLE_QUOTE) {
      return closeString(cursor, batch, key, value + text.slice(pieceStart, i), i + 1)
    }

    const escaped = code === BACKSLASH && i + 1 < end ? text.charCodeAt(i + 1) : END_OF_LINE
    if (escaped === DOUBLE_QUOTE || escaped === BACKSLASH) {
      value += text.slice(pieceStart, i)
      pieceStart = i + 1
      i += 2
    } else {
      i++
    }
  }

  return false
}

function closeString(
  cursor: LineCursor,
  batch: LineBatchBuilder,
  key: string,
  value: string,
  after: number,
): boolean {
  if (isOverStringLimit(value)) return cursor.refuse(STRING_TOO_LARGE)

  cursor.pos = after
  batch.addField(key, 'string', value)
  return true
}

function readBoolean(cursor: LineCursor, batch: LineBatchBuilder, key: string): boolean {
  for (const [spelling, value] of BOOLEAN_SPELLINGS) {
    if (cursor.startsWith(spelling)) {
      cursor.pos += spelling.length
      batch.addField(key, 'boolean', value)
      return true
    }
  }

  return false
}
