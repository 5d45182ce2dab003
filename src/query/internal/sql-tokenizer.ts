/** What a piece of SQL text is, as far as rewriting needs to know. */
export type SqlTokenKind =
  'space' | 'comment' | 'string' | 'quoted-identifier' | 'word' | 'number' | 'parameter' | 'symbol'

/** A piece of SQL text; `start` and `end` are offsets into the source. */
export interface SqlToken {
  kind: SqlTokenKind
  text: string
  start: number
  end: number
}

type Scanner = (sql: string, at: number) => number

const scanners: Array<[SqlTokenKind, Scanner]> = [
  ['space', pattern(/\s+/y)],
  ['comment', pattern(/--[^\n]*/y)],
  ['comment', blockComment],
  ['string', pattern(/[eE]'(?:[^'\\]|\\[\s\S]|'')*'?/y)],
  ['string', pattern(/'(?:[^']|'')*'?/y)],
  ['string', dollarQuoted],
  ['quoted-identifier', pattern(/"(?:[^"]|"")*"?/y)],
  ['parameter', pattern(/\$[\p{L}\p{N}_]+/uy)],
  ['number', pattern(/(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y)],
  ['word', pattern(/[\p{L}_][\p{L}\p{N}_$]*/uy)],
]

/**
 * Splits DuckDB SQL into tokens that cover the text without gaps, so that joining their texts
 * gives the source back. String literals (also `E'…'` and `$tag$…$tag$`), quoted identifiers
 * and comments (nested block comments too) are single tokens; an unterminated one runs to the
 * end of the text.
 */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = []
  let at = 0
  while (at < sql.length) {
    const token = tokenAt(sql, at)
    tokens.push(token)
    at = token.end
  }
  return tokens
}

/** The text of an identifier token as DuckDB reads it: quotes removed, `""` made `"`. */
export function identifierName(token: SqlToken): string | undefined {
  if (token.kind === 'word') return token.text
  if (token.kind !== 'quoted-identifier') return undefined

  return token.text.replace(/^"|"$/g, '').replaceAll('""', '"')
}

function tokenAt(sql: string, at: number): SqlToken {
  for (const [kind, scan] of scanners) {
    const end = scan(sql, at)
    if (end > at) return { kind, text: sql.slice(at, end), start: at, end }
  }

  const end = at + String.fromCodePoint(sql.codePointAt(at) ?? 0).length
  return { kind: 'symbol', text: sql.slice(at, end), start: at, end }
}

function pattern(regex: RegExp): Scanner {
  return (sql, at) => {
    regex.lastIndex = at
    return regex.test(sql) ? regex.lastIndex : at
  }
}

function blockComment(sql: string, at: number): number {
  if (!sql.startsWith('/*', at)) return at

  let depth = 0
  let index = at
  while (index < sql.length) {
    if (sql.startsWith('/*', index)) {
      depth++
      index += 2
    } else if (sql.startsWith('*/', index)) {
      depth--
      index += 2
      if (depth === 0) return index
    } else {
      index++
    }
  }
  return sql.length
}

function dollarQuoted(sql: string, at: number): number {
  const opening = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y
  opening.lastIndex = at
  const tag = opening.exec(sql)?.[0]
  if (tag === undefined) return at

  const close = sql.indexOf(tag, at + tag.length)
  return close === -1 ? sql.length : close + tag.length
}
