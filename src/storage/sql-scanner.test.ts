import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { scanSql } from './internal/sql-scanner.js'

function texts(sql: string): string[] {
  return scanSql(sql).map((token) => token.text)
}

describe('SQL scanner', () => {
  it('skips line comments, nested block comments and whitespace', () => {
    assert.deepEqual(texts('-- DELETE\n /* a /* nested */ DELETE */ select 1 -- tail'), [
      'SELECT',
      '1',
    ])
  })

  it('keeps comment markers and keywords inside strings and quoted names', () => {
    assert.deepEqual(texts(`SELECT 'it''s -- not /* a comment' AS "a ""b"" -- c" FROM t`), [
      'SELECT',
      "'it''s -- not /* a comment'",
      'AS',
      '"a ""b"" -- c"',
      'FROM',
      'T',
    ])
  })

  it('reads escape strings and dollar-quoted strings as one token', () => {
    assert.deepEqual(texts(`SELECT E'a\\' DELETE', $$ DROP ; $$, $tag$ x $tag$`), [
      'SELECT',
      `E'a\\' DELETE'`,
      ',',
      '$$ DROP ; $$',
      ',',
      '$tag$ x $tag$',
    ])
  })

  it('reads placeholders as single tokens and keeps positions', () => {
    const tokens = scanSql('  SELECT $host, $1;')

    assert.deepEqual(
      tokens.map((token) => [token.text, token.start, token.end]),
      [
        ['SELECT', 2, 8],
        ['$host', 9, 14],
        [',', 14, 15],
        ['$1', 16, 18],
        [';', 18, 19],
      ],
    )
  })

  it('ends an unterminated string or comment at the end of the text', () => {
    assert.deepEqual(texts("SELECT 'open"), ['SELECT', "'open"])
    assert.deepEqual(texts('SELECT /* open'), ['SELECT'])
  })
})
