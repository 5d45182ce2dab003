import { CARRIAGE_RETURN, HASH, NEWLINE, SPACE, TAB } from './internal/char-codes.js'
import { LineCursor } from './internal/line-cursor.js'
import { readLine } from './internal/line-reader.js'
import { LineSplitter } from './internal/line-splitter.js'
import type { LineError, ParsedLine } from './types.js'

/** What one batch of line protocol parses into: its good lines and its refused ones. */
export interface ParsedBatch {
  lines: ParsedLine[]
  errors: LineError[]
}

/**
 * Parses a batch of line protocol, one line after another. A refused line becomes a
 * `LineError` with the reference's exact message and never stops the lines after it.
 * Blank lines and lines starting with `#` are skipped and not numbered; lines may end in
 * `\n` or `\r\n`, and a newline inside a double-quoted string value belongs to the value.
 * Timestamps stay as written, in the unit of the request's precision (see
 * `toNanoseconds`).
 *
 * @example
 * const { lines, errors } = parseLineProtocol('cpu,host=a usage=0.5 1708473600\ncpu 1')
 * // lines[0].fields → [['usage', { type: 'float', value: 0.5 }]]
 * // errors[0] → { lineNumber: 2, message: 'No fields were provided', originalLine: 'cpu 1' }
 */
export function parseLineProtocol(text: string): ParsedBatch {
  const batch: ParsedBatch = { lines: [], errors: [] }
  const cursor = new LineCursor(text)
  const splitter = new LineSplitter(text)

  let next = 0
  while (next < text.length) {
    const contentStart = skipIndent(text, next)
    next = isSkipped(text, contentStart)
      ? afterNewline(text, contentStart)
      : parseOne(cursor, splitter, batch, next, contentStart)
  }

  return batch
}

/** Where a line lies in the batch and which number it gets. */
interface LineSpan {
  start: number
  contentStart: number
  lineNumber: number
}

// The line is first read up to the next newline, which is its end unless that newline
// sits in a string value. Only when the line holds a quote or a backslash, and its
// reading does not rule that out, is the end looked up properly and the line read again
// if it differs.
function parseOne(
  cursor: LineCursor,
  splitter: LineSplitter,
  batch: ParsedBatch,
  start: number,
  contentStart: number,
): number {
  const span = { start, contentStart, lineNumber: batch.lines.length + batch.errors.length + 1 }
  const newline = splitter.nextNewline(start)
  const first = readSpan(cursor, span, newline)
  if (splitter.isPlain(start, newline) || endsAtNewline(first, span)) {
    return record(batch, first, newline)
  }

  const lineEnd = splitter.lineEnd(start)
  return record(batch, lineEnd === newline ? first : readSpan(cursor, span, lineEnd), lineEnd)
}

function readSpan(cursor: LineCursor, span: LineSpan, lineEnd: number): ParsedLine | LineError {
  const contentEnd = withoutCarriageReturn(cursor.text, lineEnd)
  const originalLine = cursor.text.slice(span.start, contentEnd)

  cursor.startLine(span.contentStart, contentEnd)
  const line = readLine(cursor, span.lineNumber, originalLine)
  if (line !== undefined) return line

  return { lineNumber: span.lineNumber, message: cursor.rejection(), originalLine }
}

// A line that reads cleanly, starts without indentation and has no comma in a field key
// cannot leave a quote open for the line scanner: each field's `=` keeps the count of `=`
// ahead of the count of `,`, so every string value opens and closes a quote.
function endsAtNewline(line: ParsedLine | LineError, span: LineSpan): boolean {
  if (!('fields' in line) || span.start !== span.contentStart) return false

  for (const [key] of line.fields) {
    if (key.includes(',')) return false
  }

  return true
}

function record(batch: ParsedBatch, line: ParsedLine | LineError, lineEnd: number): number {
  if ('fields' in line) batch.lines.push(line)
  else batch.errors.push(line)

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
