import { durationLength } from '../duration.js'
import { parseError } from '../influxql-errors.js'

/** The kinds of InfluxQL tokens. Keywords are `word`s; the parser compares them by text. */
export type TokenKind =
  | 'word'
  | 'quoted'
  | 'string'
  | 'integer'
  | 'float'
  | 'duration'
  | 'param'
  | 'symbol'
  | 'regex'
  | 'eof'

/** A token: `text` is the decoded value (unescaped for quoted names and strings). */
export interface Token {
  kind: TokenKind
  text: string
  pos: number
}

// Two-character symbols first.
const symbols = ['::', '!=', '<>', '<=', '>=', '=~', '!~', '(', ')', ',', '.', ';', '*', '=']
const singleSymbols = '<>+-/%'

const wordStart = /[A-Za-z_]/
const wordPart = /[A-Za-z0-9_]/
// Sticky patterns match at `lastIndex` only: tokens are read in place, without copying the
// rest of the text for each one.
const spaces = /\s+/y
const numberPattern = /(\d*\.\d+|\d+\.?)(e[+-]?\d+)?/iy

/**
 * Reads InfluxQL tokens on demand. Regular expressions only make sense where the grammar
 * expects one (`/` is also division), so the parser asks for them with `nextRegex`.
 */
export class InfluxqlLexer {
  readonly #text: string
  #at = 0

  constructor(text: string) {
    this.#text = text
  }

  /** Moves back to `pos`, to read again in another mode. */
  rewind(pos: number): void {
    this.#at = pos
  }

  /** The next token, skipping spaces and comments. */
  next(): Token {
    this.#skipSpace()
    const pos = this.#at
    const char = this.#text[pos]
    if (char === undefined) return { kind: 'eof', text: '', pos }

    if (char === '"') return this.#quoted('"', 'quoted')
    if (char === "'") return this.#quoted("'", 'string')
    if (char === '$') return this.#param()
    if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(this.#text[pos + 1] ?? ''))) {
      return this.#number()
    }
    if (wordStart.test(char)) return this.#word()
    return this.#symbol()
  }

  /** A `/pattern/` literal at the current position; `\/` stands for `/` inside it. */
  nextRegex(): Token {
    this.#skipSpace()
    const pos = this.#at
    if (this.#text[pos] !== '/') throw parseError('expected regular expression', pos)

    let pattern = ''
    for (let at = pos + 1; at < this.#text.length; at++) {
      const char = this.#text[at] ?? ''
      if (char === '/') {
        this.#at = at + 1
        return { kind: 'regex', text: pattern, pos }
      }
      if (char === '\\' && this.#text[at + 1] === '/') {
        pattern += '/'
        at++
      } else {
        pattern += char
      }
    }
    throw parseError('unterminated regular expression', pos)
  }

  #skipSpace(): void {
    for (;;) {
      spaces.lastIndex = this.#at
      if (spaces.test(this.#text)) {
        this.#at = spaces.lastIndex
      } else if (this.#text.startsWith('--', this.#at)) {
        const end = this.#text.indexOf('\n', this.#at)
        this.#at = end === -1 ? this.#text.length : end + 1
      } else if (this.#text.startsWith('/*', this.#at)) {
        const end = this.#text.indexOf('*/', this.#at + 2)
        if (end === -1) throw parseError('unterminated comment', this.#at)
        this.#at = end + 2
      } else {
        return
      }
    }
  }

  // Inside quotes, a backslash escapes the quote or itself; any other pair is kept as written.
  #quoted(quote: string, kind: 'quoted' | 'string'): Token {
    const pos = this.#at
    let value = ''
    for (let at = pos + 1; at < this.#text.length; at++) {
      const char = this.#text[at] ?? ''
      const following = this.#text[at + 1]
      if (char === quote) {
        this.#at = at + 1
        return { kind, text: value, pos }
      }
      if (char === '\\' && (following === quote || following === '\\')) {
        value += following
        at++
      } else if (char === '\n') {
        break
      } else {
        value += char
      }
    }
    throw parseError(
      kind === 'string' ? 'unterminated string literal' : 'unterminated quoted identifier',
      pos,
    )
  }

  #param(): Token {
    const pos = this.#at
    let end = pos + 1
    while (wordPart.test(this.#text[end] ?? '')) end++
    if (end === pos + 1) throw parseError('invalid bind parameter', pos)

    this.#at = end
    return { kind: 'param', text: this.#text.slice(pos + 1, end), pos }
  }

  #number(): Token {
    const pos = this.#at
    const duration = durationLength(this.#text, pos)
    if (duration > 0 && !wordPart.test(this.#text[pos + duration] ?? '')) {
      this.#at += duration
      return { kind: 'duration', text: this.#text.slice(pos, pos + duration), pos }
    }

    numberPattern.lastIndex = pos
    const raw = numberPattern.exec(this.#text)?.[0] ?? ''
    if (wordPart.test(this.#text[pos + raw.length] ?? '')) throw parseError('invalid number', pos)

    this.#at += raw.length
    const isFloat = raw.includes('.') || /e/i.test(raw)
    return { kind: isFloat ? 'float' : 'integer', text: raw, pos }
  }

  #word(): Token {
    const pos = this.#at
    let end = pos
    while (wordPart.test(this.#text[end] ?? '')) end++

    this.#at = end
    return { kind: 'word', text: this.#text.slice(pos, end), pos }
  }

  #symbol(): Token {
    const pos = this.#at
    const char = this.#text[pos]
    const symbol =
      symbols.find((candidate) => this.#text.startsWith(candidate, pos)) ??
      (singleSymbols.includes(char ?? '') ? char : undefined)
    if (symbol === undefined) throw parseError(`unexpected character ${char ?? ''}`, pos)

    this.#at += symbol.length
    return { kind: 'symbol', text: symbol === '<>' ? '!=' : symbol, pos }
  }
}
