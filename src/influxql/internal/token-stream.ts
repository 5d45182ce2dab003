import { parseError } from '../influxql-errors.js'
import { InfluxqlLexer } from './influxql-lexer.js'
import type { Token } from './influxql-lexer.js'

/** Tokens with one of lookahead, and the helpers every part of the parser uses. */
export class TokenStream {
  readonly #lexer: InfluxqlLexer
  #peeked: Token | undefined

  constructor(text: string) {
    this.#lexer = new InfluxqlLexer(text)
  }

  peek(): Token {
    this.#peeked ??= this.#lexer.next()
    return this.#peeked
  }

  next(): Token {
    const token = this.peek()
    this.#peeked = undefined
    return token
  }

  /** Reads a `/regex/` where the next token would start. */
  regex(): Token {
    const start = this.peek().pos
    this.#peeked = undefined
    this.#lexer.rewind(start)
    return this.#lexer.nextRegex()
  }

  /** Whether the next token is the keyword `word` (any case). */
  isKeyword(word: string): boolean {
    const token = this.peek()
    return token.kind === 'word' && token.text.toUpperCase() === word
  }

  isSymbol(symbol: string): boolean {
    const token = this.peek()
    return token.kind === 'symbol' && token.text === symbol
  }

  /** Consumes the keyword when it comes next. */
  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false
    this.next()
    return true
  }

  acceptSymbol(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false
    this.next()
    return true
  }

  expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) throw this.unexpected(word)
    return this.next()
  }

  expectSymbol(symbol: string): Token {
    if (!this.isSymbol(symbol)) throw this.unexpected(symbol)
    return this.next()
  }

  /** A name: a bare word or a double-quoted identifier. */
  identifier(what = 'identifier'): Token {
    const token = this.peek()
    if (token.kind !== 'word' && token.kind !== 'quoted') throw this.unexpected(what)
    return this.next()
  }

  /** A non-negative integer, for LIMIT and friends. */
  count(what: string): number {
    const token = this.peek()
    if (token.kind !== 'integer') throw this.unexpected(what)
    this.next()

    const value = Number(token.text)
    if (!Number.isSafeInteger(value)) throw parseError(`${what} out of range`, token.pos)
    return value
  }

  /** The error for a token the grammar does not allow here. */
  unexpected(expected: string): Error {
    const token = this.peek()
    const found = token.kind === 'eof' ? 'end of input' : describe(token)
    return parseError(`unexpected ${found}, expected ${expected}`, token.pos)
  }
}

function describe(token: Token): string {
  if (token.kind === 'string') return `string '${token.text}'`
  if (token.kind === 'quoted') return `identifier "${token.text}"`
  return token.text
}
