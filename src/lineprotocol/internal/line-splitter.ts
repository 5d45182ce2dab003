import { BACKSLASH, COMMA, DOUBLE_QUOTE, EQUALS, NEWLINE, SPACE } from './char-codes.js'

/**
 * Finds where each line of a batch ends. A newline ends a line unless a backslash escapes
 * it or it lies inside a double-quoted field value.
 *
 * Which quote opens a string follows the reference's line scanner, so that both cut a
 * batch at the same places: only a quote after the line's first space counts, and only
 * while more `=` than `,` have been seen outside strings since that space. A quote in a
 * tag value or a field key therefore opens nothing.
 */
export class LineSplitter {
  /** The whole batch. */
  readonly text: string
  private nextQuote = -1
  private nextBackslash = -1

  constructor(text: string) {
    this.text = text
  }

  /** The index of the first newline from `start` on, or the text's length. */
  nextNewline(start: number): number {
    return this.indexOrLength('\n', start)
  }

  /**
   * True when `text[start, newline)` holds neither a quote nor a backslash, so that
   * `newline` surely ends the line. Most lines are plain.
   */
  isPlain(start: number, newline: number): boolean {
    return this.quoteFrom(start) >= newline && this.backslashFrom(start) >= newline
  }

  /** The index of the newline that ends the line starting at `start`, or the text's length. */
  lineEnd(start: number): number {
    const text = this.text
    let inFields = false
    let quoted = false
    let equalsSigns = 0
    let commas = 0

    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i)
      if (code === BACKSLASH) {
        i++
      } else if (code === SPACE) {
        inFields = true
      } else if (code === NEWLINE && !quoted) {
        return i
      } else if (inFields && !quoted && code === EQUALS) {
        equalsSigns++
      } else if (inFields && !quoted && code === COMMA) {
        commas++
      } else if (inFields && code === DOUBLE_QUOTE && equalsSigns > commas) {
        quoted = !quoted
      }
    }

    return text.length
  }

  // Remembering where the next quote and backslash lie keeps `isPlain` linear over the
  // batch.
  private quoteFrom(start: number): number {
    if (this.nextQuote < start) this.nextQuote = this.indexOrLength('"', start)

    return this.nextQuote
  }

  private backslashFrom(start: number): number {
    if (this.nextBackslash < start) this.nextBackslash = this.indexOrLength('\\', start)

    return this.nextBackslash
  }

  private indexOrLength(search: string, start: number): number {
    const index = this.text.indexOf(search, start)
    return index === -1 ? this.text.length : index
  }
}
