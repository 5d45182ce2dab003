import { BACKSLASH, COMMA, END_OF_LINE, EQUALS, NEWLINE, NUL, SPACE, TAB } from './char-codes.js'
import { ENDS_WITH_BACKSLASH, STRING_TOO_LARGE } from './line-error-messages.js'
import type { LineCursor } from './line-cursor.js'
import type { StringCache } from './name-cache.js'
import { hashStep } from './name-cache.js'
import { isOverStringLimit } from './utf8-length.js'

/** Which characters end a kind of name, and which ones a backslash escapes in it. */
export interface NameRule {
  /** Marks the characters that end the name, and the backslash, which the fast scan leaves. */
  readonly endBit: number
  /** Marks the characters a backslash escapes; any other escape stays as written. */
  readonly escapeBit: number
}

const MEASUREMENT_END = 1
const KEY_END = 2
const TAG_VALUE_END = 4
const MEASUREMENT_ESCAPE = 8
const KEY_ESCAPE = 16

/** A measurement ends at whitespace, NUL or `,`; it unescapes `\,`, `\ ` and `\\`. */
export const MEASUREMENT: NameRule = { endBit: MEASUREMENT_END, escapeBit: MEASUREMENT_ESCAPE }

/** A tag key ends at whitespace or `=`; it unescapes `\,`, `\ `, `\=` and `\\`. */
export const TAG_KEY: NameRule = { endBit: KEY_END, escapeBit: KEY_ESCAPE }

/** A tag value ends at whitespace or `,`; it unescapes `\,`, `\ `, `\=` and `\\`. */
export const TAG_VALUE: NameRule = { endBit: TAG_VALUE_END, escapeBit: KEY_ESCAPE }

/** A field key follows the rules of a tag key. */
export const FIELD_KEY: NameRule = TAG_KEY

// One entry per UTF-16 code unit, so a lookup needs no range check; `END_OF_LINE` reads
// as 0.
const charTable = buildCharTable()

function buildCharTable(): Uint8Array {
  const table = new Uint8Array(0x10000)
  mark(table, MEASUREMENT_END, [SPACE, TAB, NEWLINE, NUL, COMMA, BACKSLASH])
  mark(table, KEY_END, [SPACE, TAB, NEWLINE, EQUALS, BACKSLASH])
  mark(table, TAG_VALUE_END, [SPACE, TAB, NEWLINE, COMMA, BACKSLASH])
  mark(table, MEASUREMENT_ESCAPE, [COMMA, SPACE, BACKSLASH])
  mark(table, KEY_ESCAPE, [COMMA, SPACE, EQUALS, BACKSLASH])

  return table
}

function mark(table: Uint8Array, bit: number, codes: number[]): void {
  for (const code of codes) table[code] = (table[code] ?? 0) | bit
}

function hasBit(code: number, bit: number): boolean {
  return ((charTable[code] ?? 0) & bit) !== 0
}

/**
 * True when `code`, read right after a name, ends it under `rule` as a plain name's end:
 * the end of the line, or a character that ends the name other than a backslash.
 */
export function endsPlainName(code: number, rule: NameRule): boolean {
  return code === END_OF_LINE || (code !== BACKSLASH && hasBit(code, rule.endBit))
}

/**
 * True when `name` holds no character that ends a name under `rule` or that an escape
 * stands for: it was read without an escape, and text spelling it reads as it.
 */
export function isPlainName(name: string, rule: NameRule): boolean {
  const bits = rule.endBit | rule.escapeBit
  for (let i = 0; i < name.length; i++) {
    if (hasBit(name.charCodeAt(i), bits)) return false
  }

  return true
}

/**
 * Reads the name at the cursor under `rule` and returns it unescaped, shared through `cache`
 * when it holds no escape. Returns undefined when no name starts here, and when the name is
 * refused; the cursor then holds the message.
 */
export function readName(
  cursor: LineCursor,
  rule: NameRule,
  cache: StringCache,
): string | undefined {
  const { text, end } = cursor
  const start = cursor.pos
  let hash = 0
  let i = start
  while (i < end) {
    const code = text.charCodeAt(i)
    if (hasBit(code, rule.endBit)) {
      if (code === BACKSLASH) return readEscapedName(cursor, rule, start, i)
      break
    }
    hash = hashStep(hash, code)
    i++
  }
  if (i === start) return undefined

  cursor.pos = i
  const name = cache.get(text, start, i, hash)
  return isOverStringLimit(name) ? cursor.reject(STRING_TOO_LARGE) : name
}

// A known escape drops its backslash by closing the current piece just before it. An
// unknown one keeps both characters, whatever the second is, as the reference does.
function readEscapedName(
  cursor: LineCursor,
  rule: NameRule,
  start: number,
  firstBackslash: number,
): string | undefined {
  const { text, end } = cursor
  let value = ''
  let pieceStart = start
  let i = firstBackslash
  while (i < end) {
    const code = text.charCodeAt(i)
    if (code === BACKSLASH) {
      const escaped = i + 1 < end ? text.charCodeAt(i + 1) : END_OF_LINE
      if (hasBit(escaped, rule.escapeBit)) {
        value += text.slice(pieceStart, i)
        pieceStart = i + 1
      }
      i += 2
    } else if (hasBit(code, rule.endBit)) {
      break
    } else {
      i++
    }
  }

  cursor.pos = Math.min(i, end)
  return checkName(cursor, value + text.slice(pieceStart, cursor.pos))
}

function checkName(cursor: LineCursor, name: string): string | undefined {
  if (name.charCodeAt(name.length - 1) === BACKSLASH) return cursor.reject(ENDS_WITH_BACKSLASH)
  if (isOverStringLimit(name)) return cursor.reject(STRING_TOO_LARGE)

  return name
}
