import { FluxgateError } from '../../errors/index.js'
import { DIGIT_ZERO, END_OF_LINE, SPACE, isDigit } from './char-codes.js'
import { LatestTimestamp } from './timestamp-reader.js'

/**
 * A read position inside one line of a batch. Readers move `pos` forward and never past
 * `end`; a reader that rejects the line records the reference's message in `error`.
 */
export class LineCursor {
  /** The whole batch. */
  readonly text: string
  /** The read position. */
  pos = 0
  /** Where the current line ends, its line break excluded. */
  end = 0
  /** The message of the rejected line; undefined while the line reads cleanly. */
  error: string | undefined = undefined
  /** The latest timestamp read, which most lines repeat. */
  readonly latestTimestamp = new LatestTimestamp()

  constructor(text: string) {
    this.text = text
  }

  /** Points the cursor at the line `text[start, end)` and clears the previous line's error. */
  startLine(start: number, end: number): void {
    this.pos = start
    this.end = end
    this.error = undefined
  }

  /** The code unit at the read position, or `END_OF_LINE`. */
  peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : END_OF_LINE
  }

  /** The code unit at `index`, or `END_OF_LINE` from the end of the line on. */
  codeAt(index: number): number {
    return index < this.end ? this.text.charCodeAt(index) : END_OF_LINE
  }

  /** True when the unread text starts with `prefix`. */
  startsWith(prefix: string): boolean {
    return this.pos + prefix.length <= this.end && this.text.startsWith(prefix, this.pos)
  }

  /** The index just past the run of ASCII digits that starts at `from`. */
  digitsEnd(from: number): number {
    let index = from
    while (index < this.end && isDigit(this.text.charCodeAt(index))) index++

    return index
  }

  /**
   * Moves past the run of ASCII digits at the read position, or its first `most`, and
   * returns `sum` with them appended as decimal digits. Exact while the result has at most
   * 15 digits.
   */
  readDigits(sum: number, most = Infinity): number {
    const { text } = this
    const end = Math.min(this.end, this.pos + most)
    let value = sum
    let index = this.pos
    for (; index < end; index++) {
      const digit = text.charCodeAt(index) - DIGIT_ZERO
      if (digit < 0 || digit > 9) break
      value = value * 10 + digit
    }

    this.pos = index
    return value
  }

  /** The unread rest of the line. */
  rest(): string {
    return this.text.slice(this.pos, this.end)
  }

  /** True once the whole line has been read. */
  atEnd(): boolean {
    return this.pos >= this.end
  }

  /** Moves past `code` when it comes next and tells whether it did. */
  skip(code: number): boolean {
    if (this.peek() !== code) return false

    this.pos++
    return true
  }

  /** Moves back to `pos` after a part that did not match; returns undefined for the same reason. */
  rewind(pos: number): undefined {
    this.pos = pos
    return undefined
  }

  /** Moves past a run of spaces and tells whether there was at least one. */
  skipSpaces(): boolean {
    const start = this.pos
    while (this.pos < this.end && this.text.charCodeAt(this.pos) === SPACE) this.pos++

    return this.pos > start
  }

  /** Rejects the line with `message`; returns undefined, so readers can return the call. */
  reject(message: string): undefined {
    this.error = message
    return undefined
  }

  /** Like `reject`, but keeps the message of a reader that already rejected the line. */
  rejectOnce(message: string): undefined {
    this.error ??= message
    return undefined
  }

  /** Like `reject`, for readers that answer with a boolean. */
  refuse(message: string): false {
    this.error = message
    return false
  }

  /** Like `rejectOnce`, for readers that answer with a boolean. */
  refuseOnce(message: string): false {
    this.error ??= message
    return false
  }

  /** True once a reader has rejected the line. */
  rejected(): boolean {
    return this.error !== undefined
  }

  /** The message of the rejected line. Asking when nothing was rejected is a programming fault. */
  rejection(): string {
    if (this.error === undefined) {
      throw new FluxgateError('ERR_INTERNAL', 'line reader stopped without a message')
    }

    return this.error
  }
}
