import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { identifierName, tokenizeSql } from './sql-tokenizer.js'
import type { SqlTokenKind } from './sql-tokenizer.js'

function kindsOf(sql: string): Array<[SqlTokenKind, string]> {
  return tokenizeSql(sql)
    .filter((token) => token.kind !== 'space')
    .map((token) => [token.kind, token.text])
}

describe('tokenizeSql', () => {
  it('covers the text without gaps, so the tokens join back to the source', () => {
    const sql = `SELECT "a""b", 'it''s' -- note\n/* x /* y */ z */ FROM t WHERE v = $1;`

    const tokens = tokenizeSql(sql)

    assert.equal(tokens.map((token) => token.text).join(''), sql)
    tokens.forEach((token) => assert.equal(sql.slice(token.start, token.end), token.text))
  })

  it('keeps string literals whole, escaped and dollar-quoted ones too', () => {
    assert.deepEqual(kindsOf(`'SHOW TABLES' E'it\\'s' $$a ; b$$ $x$ c $x$`), [
      ['string', `'SHOW TABLES'`],
      ['string', `E'it\\'s'`],
      ['string', '$$a ; b$$'],
      ['string', '$x$ c $x$'],
    ])
  })

  it('keeps comments whole, nested block comments too', () => {
    assert.deepEqual(kindsOf('-- a ; b\n/* c /* d */ ; */ x'), [
      ['comment', '-- a ; b'],
      ['comment', '/* c /* d */ ; */'],
      ['word', 'x'],
    ])
  })

  it('tells words, quoted identifiers, numbers, parameters and symbols apart', () => {
    assert.deepEqual(kindsOf('iox."Cpu".usage>=1.5e3,$host'), [
      ['word', 'iox'],
      ['symbol', '.'],
      ['quoted-identifier', '"Cpu"'],
      ['symbol', '.'],
      ['word', 'usage'],
      ['symbol', '>'],
      ['symbol', '='],
      ['number', '1.5e3'],
      ['symbol', ','],
      ['parameter', '$host'],
    ])
  })

  it('runs an unterminated literal or comment to the end of the text', () => {
    assert.deepEqual(kindsOf(`x 'open`), [
      ['word', 'x'],
      ['string', `'open`],
    ])
    assert.deepEqual(kindsOf('x /* open'), [
      ['word', 'x'],
      ['comment', '/* open'],
    ])
  })
})

describe('identifierName', () => {
  it('unquotes quoted identifiers and leaves other tokens without a name', () => {
    const [word, , quoted, , literal] = tokenizeSql(`cpu "say ""hi""" 'cpu'`)

    assert.equal(word && identifierName(word), 'cpu')
    assert.equal(quoted && identifierName(quoted), 'say "hi"')
    assert.equal(literal && identifierName(literal), undefined)
  })
})
