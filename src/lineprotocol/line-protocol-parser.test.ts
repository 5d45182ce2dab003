import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { parseLineProtocol } from './index.js'
import type { ParsedLine } from './index.js'

function onlyLine(text: string): ParsedLine {
  const { lines, errors } = parseLineProtocol(text)
  assert.deepEqual(errors, [])
  assert.equal(lines.length, 1)

  const [line] = lines
  assert.ok(line !== undefined)
  return line
}

function errorMessages(text: string): string[] {
  return parseLineProtocol(text).errors.map((error) => error.message)
}

describe('parseLineProtocol: a whole line', () => {
  it('returns measurement, tags, fields and timestamp in written order', () => {
    const line = onlyLine('cpu,host=a,region=us usage=0.5,count=3i,ok=true,msg="hi" 1708473600')

    assert.deepEqual(line, {
      measurement: 'cpu',
      tags: [
        ['host', 'a'],
        ['region', 'us'],
      ],
      fields: [
        ['usage', { type: 'float', value: 0.5 }],
        ['count', { type: 'integer', value: 3n }],
        ['ok', { type: 'boolean', value: true }],
        ['msg', { type: 'string', value: 'hi' }],
      ],
      timestamp: 1708473600n,
      lineNumber: 1,
      originalLine: 'cpu,host=a,region=us usage=0.5,count=3i,ok=true,msg="hi" 1708473600',
    })
  })

  it('leaves the timestamp undefined when the line has none', () => {
    const line = onlyLine('foo,tag0=value1 asdf=23.1,bar=5i')

    assert.equal(line.timestamp, undefined)
    assert.deepEqual(line.fields, [
      ['asdf', { type: 'float', value: 23.1 }],
      ['bar', { type: 'integer', value: 5n }],
    ])
  })

  it('keeps duplicate tags and fields for the validator to judge', () => {
    const line = onlyLine('m,t=a,t=b f=1,f=2')

    assert.deepEqual(line.tags, [
      ['t', 'a'],
      ['t', 'b'],
    ])
    assert.deepEqual(
      line.fields.map(([key]) => key),
      ['f', 'f'],
    )
  })

  it('accepts one or more spaces between sections and around the line', () => {
    const line = onlyLine('  measurement  a=1i  123  ')

    assert.equal(line.measurement, 'measurement')
    assert.equal(line.timestamp, 123n)
    assert.equal(line.originalLine, '  measurement  a=1i  123  ')
  })

  it('accepts trailing spaces after the fields of a line without timestamp', () => {
    assert.equal(onlyLine('m a=1   ').timestamp, undefined)
  })

  it('accepts leading tabs but not a tab as separator', () => {
    assert.equal(onlyLine('\t\tm a=1').measurement, 'm')
    assert.deepEqual(errorMessages('m\ta=1'), [
      'Expected at least one space character, got `\ta=1`',
    ])
  })
})

describe('parseLineProtocol: lines of a batch', () => {
  it('yields nothing for empty input, blank lines and comments', () => {
    assert.deepEqual(parseLineProtocol(''), { lines: [], errors: [] })
    assert.deepEqual(parseLineProtocol('\n\n  \n\t\n'), { lines: [], errors: [] })
    assert.deepEqual(parseLineProtocol('# one\n  # two\n#'), { lines: [], errors: [] })
  })

  it('numbers lines among those it yields, skipping blank and comment lines', () => {
    const text = '# header\n\nm a=1\n   \n# note\nm b=\n\nm c=3\n'
    const { lines, errors } = parseLineProtocol(text)

    assert.deepEqual(
      lines.map((line) => [line.lineNumber, line.originalLine]),
      [
        [1, 'm a=1'],
        [3, 'm c=3'],
      ],
    )
    assert.deepEqual(errors, [
      { lineNumber: 2, message: 'No fields were provided', originalLine: 'm b=' },
    ])
  })

  it('keeps parsing after a bad line', () => {
    const text = 'goodline,tag1=one,tag2=2 value=1 123\n  badline,\nanother,tag3=3 value=67 1234'
    const { lines, errors } = parseLineProtocol(text)

    assert.deepEqual(
      lines.map((line) => line.measurement),
      ['goodline', 'another'],
    )
    assert.deepEqual(errors, [
      { lineNumber: 2, message: 'Expected tag key, got end of input', originalLine: '  badline,' },
    ])
  })

  it('reports every bad line of a batch with its own number', () => {
    const { errors } = parseLineProtocol('a\nb x=1\nc\n,d x=1')

    assert.deepEqual(
      errors.map((error) => [error.lineNumber, error.message]),
      [
        [1, 'Expected at least one space character, got end of input'],
        [3, 'Expected at least one space character, got end of input'],
        [4, 'Invalid measurement was provided'],
      ],
    )
  })

  it('gives the whole raw line as originalLine, however long', () => {
    const long = `m,${'t=v,'.repeat(50)}t=v bad`
    const [error] = parseLineProtocol(long).errors

    assert.equal(error?.originalLine, long)
  })

  it('accepts CRLF line endings and leaves the carriage return out of the line', () => {
    const { lines, errors } = parseLineProtocol('m a=1i 1\r\n\r\n# c\r\nm b="x" 2\r\nm c=t\r\n')

    assert.deepEqual(errors, [])
    assert.deepEqual(
      lines.map((line) => [line.originalLine, line.timestamp]),
      [
        ['m a=1i 1', 1n],
        ['m b="x" 2', 2n],
        ['m c=t', undefined],
      ],
    )
  })

  it('keeps a newline inside a quoted string value in the value', () => {
    const { lines, errors } = parseLineProtocol('m s="first\nsecond" 1\nm n=2 2')

    assert.deepEqual(errors, [])
    assert.deepEqual(lines[0]?.fields, [['s', { type: 'string', value: 'first\nsecond' }]])
    assert.equal(lines[0]?.originalLine, 'm s="first\nsecond" 1')
    assert.equal(lines[1]?.lineNumber, 2)
  })

  it('keeps a CRLF inside a quoted string value in the value', () => {
    const line = onlyLine('m s="a\r\nb"\r\n')

    assert.deepEqual(line.fields, [['s', { type: 'string', value: 'a\r\nb' }]])
  })

  it('ends the line at a newline after an escaped quote', () => {
    const { lines, errors } = parseLineProtocol('m s=\\"\nval" 1\nm n=1')

    assert.deepEqual(
      errors.map((error) => error.originalLine),
      ['m s=\\"', 'val" 1'],
    )
    assert.equal(lines[0]?.lineNumber, 3)
  })

  it('does not end the line at an escaped newline', () => {
    const line = onlyLine('we\\\nather a=1')

    assert.equal(line.measurement, 'we\\\nather')
  })

  it('treats a quote in a tag value as an ordinary character', () => {
    const { lines } = parseLineProtocol('m,t="x a=1\nm b=2')

    assert.deepEqual(
      lines.map((line) => line.tags),
      [[['t', '"x']], []],
    )
  })

  it('cuts lines where the reference does when a comma in a field key hides a quote', () => {
    // After `a,b=` the scanner has seen as many commas as equals signs, so that quote
    // opens nothing, the next one opens a string, and the newline inside it belongs to
    // the line.
    const text = 'm a,b="x=",c="y"\nm d=1'
    const { lines, errors } = parseLineProtocol(text)

    assert.deepEqual(lines, [])
    assert.deepEqual(errors, [
      {
        lineNumber: 1,
        message: 'Could not parse entire line. Found trailing content: `\nm d=1`',
        originalLine: text,
      },
    ])
  })

  it('cuts lines where the reference does when indentation lets a tag value open a quote', () => {
    // An indented line counts `=` and `,` from its first character on, so the quote in the
    // tag value opens a string and the newline after it belongs to the line.
    const text = '  m=1,t="v f=1\nm b=2'
    const { lines, errors } = parseLineProtocol(text)

    assert.deepEqual(lines, [])
    assert.deepEqual(errors, [
      {
        lineNumber: 1,
        message: 'Could not parse entire line. Found trailing content: `\nm b=2`',
        originalLine: text,
      },
    ])
  })

  it('skips a comment line whole, even when it holds a quote', () => {
    const { lines } = parseLineProtocol('# say "hello\nm a=1\nm b=2')

    assert.deepEqual(
      lines.map((line) => line.originalLine),
      ['m a=1', 'm b=2'],
    )
  })
})

describe('parseLineProtocol: the examples of the compatibility reference', () => {
  it('accepts the valid examples', () => {
    assert.equal(onlyLine('foo value1=1i -123').timestamp, -123n)
    assert.equal(onlyLine('  measurement  a=1i  123  ').timestamp, 123n)
    assert.equal(onlyLine('foo,tag0=value1 asdf=23.1,bar=5i').timestamp, undefined)
    assert.equal(
      onlyLine('cpu,host=a,region=us usage=0.5,count=3i,ok=true,msg="hi" 1708473600').fields.length,
      4,
    )
  })

  it('refuses the invalid examples with the reference messages', () => {
    assert.deepEqual(errorMessages('foo 1234'), ['No fields were provided'])
    assert.deepEqual(errorMessages('testmeasure, bar=1i'), ['Expected tag key, got ` bar=1i`'])
    assert.deepEqual(errorMessages('m0 field=-1u 99'), [
      'Could not parse entire line. Found trailing content: `u 99`',
    ])
    assert.deepEqual(errorMessages('foo,tag0=value1 asdf=23.1.22,jkl=4'), [
      'Could not parse entire line. Found trailing content: `.22,jkl=4`',
    ])
  })

  it('reports a write body line by line the way the reference write endpoints show it', () => {
    const { errors } = parseLineProtocol('cpu,host=a val=1 1\ncpu,host=a val= 123')

    assert.deepEqual(errors, [
      { lineNumber: 2, message: 'No fields were provided', originalLine: 'cpu,host=a val= 123' },
    ])
  })
})
