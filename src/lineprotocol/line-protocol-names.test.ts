import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { parseLineProtocol } from './index.js'
import type { ParsedLine } from './index.js'

const LIMIT = 65_536
const TOO_LARGE = 'String is greater than 64KB'

function onlyLine(text: string): ParsedLine {
  const { lines, errors } = parseLineProtocol(text)
  assert.deepEqual(errors, [])

  const [line] = lines
  assert.ok(line !== undefined)
  return line
}

function messageFor(text: string): string | undefined {
  return parseLineProtocol(text).errors[0]?.message
}

describe('names: escapes', () => {
  it('unescapes `\\,`, `\\ ` and `\\\\` in a measurement and keeps `\\=` as written', () => {
    assert.equal(onlyLine('wea\\,ther a=1').measurement, 'wea,ther')
    assert.equal(onlyLine('wea\\ ther a=1').measurement, 'wea ther')
    assert.equal(onlyLine('\\\\wea\\\\ther a=1').measurement, '\\wea\\ther')
    assert.equal(onlyLine('wea\\=ther a=1').measurement, 'wea\\=ther')
  })

  it('unescapes `\\,`, `\\ `, `\\=` and `\\\\` in tag keys, tag values and field keys', () => {
    const line = onlyLine('m,k\\,1\\ a\\=b\\\\c=v\\,1\\ a\\=b\\\\c f\\,1\\ a\\=b\\\\c=1')

    assert.deepEqual(line.tags, [['k,1 a=b\\c', 'v,1 a=b\\c']])
    assert.equal(line.fields[0]?.[0], 'f,1 a=b\\c')
  })

  it('keeps unknown escapes literally, both characters', () => {
    const line = onlyLine('\\wea\\ther,\\tk=\\tv \\tf=1')

    assert.equal(line.measurement, '\\wea\\ther')
    assert.deepEqual(line.tags, [['\\tk', '\\tv']])
    assert.equal(line.fields[0]?.[0], '\\tf')
  })

  it('keeps an escaped tab inside a tag value', () => {
    assert.deepEqual(onlyLine('m,t=a\\\tb f=1').tags, [['t', 'a\\\tb']])
  })
})

describe('names: characters', () => {
  it('allows `=` in a measurement and in a tag value', () => {
    const line = onlyLine('tag1=1,tag2=a=b value=1 123')

    assert.equal(line.measurement, 'tag1=1')
    assert.deepEqual(line.tags, [['tag2', 'a=b']])
  })

  it('allows an unescaped comma in a tag key and a field key', () => {
    const line = onlyLine('m,a,b=c x,y=1')

    assert.deepEqual(line.tags, [['a,b', 'c']])
    assert.equal(line.fields[0]?.[0], 'x,y')
  })

  it('accepts NUL inside tag keys, tag values, field keys and strings', () => {
    const text = [
      'm,tag\u00001=one value=1 123',
      'm,tag1=o\u0000ne value=1 123',
      'm,tag2=\u0000 value=1 123',
      'm val\u0000ue=1 123',
      'm value="v\u0000" 123',
    ].join('\n')

    assert.equal(parseLineProtocol(text).lines.length, 5)
  })

  it('ends a measurement at NUL', () => {
    assert.equal(
      messageFor('m\u0000x a=1'),
      'Expected at least one space character, got `\u0000x a=1`',
    )
  })

  it('reads names in any script', () => {
    const line = onlyLine('température,ville=Zürich 値=1')

    assert.equal(line.measurement, 'température')
    assert.deepEqual(line.tags, [['ville', 'Zürich']])
    assert.equal(line.fields[0]?.[0], '値')
  })
})

describe('names: the 64 KiB limit', () => {
  const exact = 'a'.repeat(LIMIT)
  const over = 'a'.repeat(LIMIT + 1)

  it('accepts a measurement, tag key, tag value and field key of exactly 65,536 bytes', () => {
    assert.equal(onlyLine(`${exact},t=v f=1`).measurement, exact)
    assert.deepEqual(onlyLine(`m,${exact}=v f=1`).tags, [[exact, 'v']])
    assert.deepEqual(onlyLine(`m,t=${exact} f=1`).tags, [['t', exact]])
    assert.equal(onlyLine(`m ${exact}=1`).fields[0]?.[0], exact)
  })

  it('accepts a string value of exactly 65,536 bytes', () => {
    assert.deepEqual(onlyLine(`m f="${exact}"`).fields, [['f', { type: 'string', value: exact }]])
  })

  it('refuses each of them at 65,537 bytes', () => {
    for (const text of [
      `${over},t=v f=1`,
      `m,${over}=v f=1`,
      `m,t=${over} f=1`,
      `m ${over}=1`,
      `m f="${over}"`,
    ]) {
      assert.equal(messageFor(text), TOO_LARGE)
    }
  })

  it('counts UTF-8 bytes, not characters', () => {
    const twoByteExact = 'é'.repeat(LIMIT / 2)
    assert.equal(onlyLine(`m,t=${twoByteExact} f=1`).tags[0]?.[1], twoByteExact)
    assert.equal(messageFor(`m,t=${twoByteExact}a f=1`), TOO_LARGE)
    assert.equal(messageFor(`m f="${'€'.repeat(21_846)}"`), TOO_LARGE)
  })

  it('counts the unescaped text', () => {
    const escaped = '\\,'.repeat(LIMIT / 2)

    assert.equal(onlyLine(`m,t=${escaped} f=1`).tags[0]?.[1], ','.repeat(LIMIT / 2))
  })

  it('refuses only the oversized line of a batch', () => {
    const text = `m,t=ok f=1i 1\nm,t=${over} f=2i 2\nm,t=ok f=3i 3`
    const { lines, errors } = parseLineProtocol(text)

    assert.deepEqual(
      lines.map((line) => line.lineNumber),
      [1, 3],
    )
    assert.deepEqual(
      errors.map((error) => [error.lineNumber, error.message]),
      [[2, TOO_LARGE]],
    )
  })
})
