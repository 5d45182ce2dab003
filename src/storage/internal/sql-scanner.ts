/**
 * Just enough of a SQL lexer to find a statement's leading keywords and its significant text.
 * DuckDB parses and classifies the statement itself; this scanner only has to tell comments,
 * strings and quoted names apart from the words around them.
 */

/** A significant token: comments and whitespace never become tokens. */
export interface SqlToken {
  kind: 'word' | 'literal' | 'symbol'
  /** Words upper-cased; other tokens as written. */
  text: string
  /** The token as written. */
  raw: string
  start: number
  end: number
}

const wordStart = /[A-Za-z_\u0080-\uffff]/
const wordPart = /[A-Za-z0-9_$\u0080-\uffff]/
const dollarTag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/

/** Splits `sql` into its significant tokens. */
export function scanSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = []
  let at = 0
  while (at < sql.length) {
    const skipped = skipInsignificant(sql, at)
    if (skipped > at) {
      at = skipped
      continue
    }

    const token = readToken(sql, at)
    tokens.push(token)
    at = token.end
  }

  return tokens
}

function skipInsignificant(sql: string, at: number): number {
  const char = sql[at] ?? ''
  if (/\s/.test(char)) return at + 1
  if (sql.startsWith('--', at)) return endOfLine(sql, at)
  if (sql.startsWith('/*', at)) return endOfBlockComment(sql, at)

  return at
}

function readToken(sql: string, start: number): SqlToken {
  const char = sql[start] ?? ''
  if (char === "'") return literal(sql, start, endOfQuoted(sql, start, "'"))
  if (char === '"') return literal(sql, start, endOfQuoted(sql, start, '"'))
  if (char === '$') return dollarToken(sql, start)
  if (/[eE]/.test(char) && sql[start + 1] === "'") {
    return literal(sql, start, endOfEscapedString(sql, start + 1))
  }
  if (wordStart.test(char)) return word(sql, start)

  return { kind: 'symbol', text: char, raw: char, start, end: start + 1 }
}

function word(sql: string, start: number): SqlToken {
  let end = start + 1
  while (end < sql.length && wordPart.test(sql[end] ?? '')) end++

  const raw = sql.slice(start, end)
  return { kind: 'word', text: raw.toUpperCase(), raw, start, end }
}

function literal(sql: string, start: number, end: number): SqlToken {
  const raw = sql.slice(start, end)
  return { kind: 'literal', text: raw, raw, start, end }
}

// `$name` is a placeholder, `$$…$$` and `$tag$…$tag$` are strings.
function dollarToken(sql: string, start: number): SqlToken {
  const tag = dollarTag.exec(sql.slice(start))?.[0]
  if (tag !== undefined) {
    const close = sql.indexOf(tag, start + tag.length)
    return literal(sql, start, close === -1 ? sql.length : close + tag.length)
  }

  let end = start + 1
  while (end < sql.length && wordPart.test(sql[end] ?? '') && sql[end] !== '$') end++

  return literal(sql, start, end)
}

function endOfLine(sql: string, start: number): number {
  const newline = sql.indexOf('\n', start)
  return newline === -1 ? sql.length : newline + 1
}

// Block comments nest, as in PostgreSQL, whose grammar DuckDB's parser follows.
function endOfBlockComment(sql: string, start: number): number {
  let depth = 0
  let at = start
  while (at < sql.length) {
    if (sql.startsWith('/*', at)) {
      depth++
      at += 2
    } else if (sql.startsWith('*/', at)) {
      depth--
      at += 2
      if (depth === 0) return at
    } else {
      at++
    }
  }

  return sql.length
}

// A doubled quote stands for itself inside a quoted string or name.
function endOfQuoted(sql: string, start: number, quote: string): number {
  let at = start + 1
  while (at < sql.length) {
    if (sql[at] !== quote) {
      at++
    } else if (sql[at + 1] === quote) {
      at += 2
    } else {
      return at + 1
    }
  }

  return sql.length
}

function endOfEscapedString(sql: string, quoteAt: number): number {
  let at = quoteAt + 1
  while (at < sql.length) {
    const char = sql[at]
    if (char === '\\') {
      at += 2
    } else if (char === "'" && sql[at + 1] === "'") {
      at += 2
    } else if (char === "'") {
      return at + 1
    } else {
      at++
    }
  }

  return sql.length
}
