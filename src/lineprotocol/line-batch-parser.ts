import { CARRIAGE_RETURN, HASH, NEWLINE, SPACE, TAB } from './internal/char-codes.js'
import { LineBatchBuilder } from './internal/line-batch-builder.js'
import { LineCursor } from './internal/line-cursor.js'
import { readLine } from './internal/line-reader.js'
import { LineSplitter } from './internal/line-splitter.js'
import type { LineBatch } from './types.js'

/**
 * Parses a batch of line protocol, one line after another, into columns. A refused line
 * becomes a `LineError` with the reference's exact message and never stops the lines after
 * it. Blank lines and lines starting with `#` are skipped and not numbered; lines may end in
 * `\n` or `\r\n`, and a newline inside a double-quoted string value belongs to the value.
 * Timestamps stay as written, in the unit of the request's precision (see `toNanoseconds`).
 *
 * @example
 * const batch = parseLineBatch('cpu,host=a usage=0.5 1708473600\ncpu 1')
 * // batch.lineCount → 1, batch.fieldKeys → ['usage'], batch.fieldValues → [0.5]
 * // batch.errors[0] → { lineNumber: 2, message: 'No fields were provided', originalLine: 'cpu 1' }
 */
export function parseLineBatch(text: string): LineBatch {
  const batch = new LineBatchBuilder(text)
  const cursor = new LineCursor(text)
  const splitter = new LineSplitter(text)

  const parsing = { cursor, splitter, batch, start: 0, lineNumber: 0, commaFreeKeys: [] }
  let next = 0
  while (next < text.length) {
    const contentStart = skipIndent(text, next)
    next = isSkipped(text, contentStart)
      ? afterNewline(text, contentStart)
      : parseOne(parsing, next, contentStart)
  }

  return batch.finish()
}

/** The state one batch is parsed with, and where the current line starts and its number. */
interface Parsing {
  cursor: LineCursor
  splitter: LineSplitter
  batch: LineBatchBuilder
  start: number
  lineNumber: number
  /** Field keys known to hold no comma, by their position in a line. */
  commaFreeKeys: string[]
}

// The line is first read up to the next newline, which is its end unless that newline
// sits in a string value. Only when its reading does not rule that out, and the line holds
// a quote or a backslash, is the end looked up properly and the line read again if it
// differs. The reading is asked first: it answers most lines without searching the text.
function parseOne(parsing: Parsing, start: number, contentStart: number): number {
  const { batch, splitter } = parsing
  parsing.start = start
  parsing.lineNumber = batch.lineCount + batch.errors.length + 1
  const newline = splitter.nextNewline(start)
  const first = readSpan(parsing, contentStart, newline)
  if (endsAtNewline(parsing, first, start === contentStart) || splitter.isPlain(start, newline)) {
    return settle(parsing, first, newline)
  }

  const lineEnd = splitter.lineEnd(start)
  if (lineEnd === newline) return settle(parsing, first, newline)

  if (first) batch.removeLastLine()
  return settle(parsing, readSpan(parsing, contentStart, lineEnd), lineEnd)
}

// `lineEnd` is where the line break starts; the carriage return of a CRLF is left out.
function readSpan(parsing: Parsing, contentStart: number, lineEnd: number): boolean {
  const { cursor, batch } = parsing
  cursor.startLine(contentStart, withoutCarriageReturn(cursor.text, lineEnd))

  return readLine(cursor, batch, parsing.lineNumber, parsing.start)
}

// A line that reads cleanly, starts without indentation and has no comma in a field key
// cannot leave a quote open for the line scanner: each field's `=` keeps the count of `=`
// ahead of the count of `,`, so every string value opens and closes a quote. Lines repeat
// their keys, so those already seen at a position are not searched again.
function endsAtNewline(parsing: Parsing, accepted: boolean, unindented: boolean): boolean {
  if (!accepted || !unindented) return false

  const { batch, commaFreeKeys } = parsing
  const first = batch.firstField()
  for (let field = first; field < batch.fieldKeys.length; field++) {
    const key = batch.fieldKeys[field] ?? ''
    if (commaFreeKeys[field - first] === key) continue
    if (key.includes(',')) return false
    commaFreeKeys[field - first] = key
  }

  return true
}

// A refused line is recorded only here, once its end is settled.
function settle(parsing: Parsing, accepted: boolean, lineEnd: number): number {
  const { cursor, batch } = parsing
  if (!accepted) {
    const originalLine = cursor.text.slice(
      parsing.start,
      withoutCarriageReturn(cursor.text, lineEnd),
    )
    batch.addError({ lineNumber: parsing.lineNumber, message: cursor.rejection(), originalLine })
  }

  return lineEnd + 1
}

// Leading tabs are allowed as well as spaces, as in the reference.
function skipIndent(text: string, from: number): number {
  let index = from
  while (index < text.length) {
    const code = text.charCodeAt(index)
    if (code !== SPACE && code !== TAB) break
    index++
  }

  return index
}

function isSkipped(text: string, contentStart: number): boolean {
  if (contentStart >= text.length) return true

  const code = text.charCodeAt(contentStart)
  if (code === NEWLINE || code === HASH) return true

  return code === CARRIAGE_RETURN && isLineEnd(text, contentStart + 1)
}

function isLineEnd(text: string, index: number): boolean {
  return index >= text.length || text.charCodeAt(index) === NEWLINE
}

// A comment runs to the next newline whatever it holds, quotes included.
function afterNewline(text: string, from: number): number {
  const newline = text.indexOf('\n', from)
  return newline === -1 ? text.length : newline + 1
}

function withoutCarriageReturn(text: string, lineEnd: number): number {
  return text.charCodeAt(lineEnd - 1) === CARRIAGE_RETURN ? lineEnd - 1 : lineEnd
}
