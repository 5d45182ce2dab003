import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { parseLineProtocol } from './index.js'
import type { FieldValue } from './index.js'

function valueOf(written: string): FieldValue | undefined {
  const { lines, errors } = parseLineProtocol(`m f=${written}`)
  assert.deepEqual(errors, [], `expected f=${written} to parse`)

  return lines[0]?.fields[0]?.[1]
}

function timestampOf(line: string): bigint | undefined {
  const { lines, errors } = parseLineProtocol(line)
  assert.deepEqual(errors, [])

  return lines[0]?.timestamp
}

describe('field values: integers', () => {
  it('reads `i` values as signed 64-bit integers', () => {
    assert.deepEqual(valueOf('23i'), { type: 'integer', value: 23n })
    assert.deepEqual(valueOf('-1i'), { type: 'integer', value: -1n })
    assert.deepEqual(valueOf('007i'), { type: 'integer', value: 7n })
  })

  it('reads both ends of the signed 64-bit range exactly', () => {
    assert.deepEqual(valueOf('9223372036854775807i'), {
      type: 'integer',
      value: 9223372036854775807n,
    })
    assert.deepEqual(valueOf('-9223372036854775808i'), {
      type: 'integer',
      value: -9223372036854775808n,
    })
  })

  it('reads integers around the double-precision limit without rounding', () => {
    assert.deepEqual(valueOf('999999999999999i'), { type: 'integer', value: 999999999999999n })
    assert.deepEqual(valueOf('9007199254740993i'), { type: 'integer', value: 9007199254740993n })
  })
})

describe('field values: unsigned integers', () => {
  it('reads `u` values up to the unsigned 64-bit maximum', () => {
    assert.deepEqual(valueOf('0u'), { type: 'uinteger', value: 0n })
    assert.deepEqual(valueOf('18446744073709551615u'), {
      type: 'uinteger',
      value: 18446744073709551615n,
    })
  })
})

describe('field values: floats', () => {
  it('reads every written form as a float', () => {
    const forms: Array<[string, number]> = [
      ['1', 1],
      ['-1', -1],
      ['3.74', 3.74],
      ['1e3', 1000],
      ['1.234456E-16', 1.234456e-16],
      ['-1e-0', -1],
      ['1e-0', 1],
      ['-1.234456e+06', -1234456],
      ['1.234456E+16', 1.234456e16],
      ['1.234456e06', 1234456],
      ['-0', -0],
      ['12.500', 12.5],
    ]
    for (const [written, expected] of forms) {
      assert.deepEqual(valueOf(written), { type: 'float', value: expected }, written)
    }
  })

  it('gives the same double as parsing the text with Number', () => {
    for (const written of ['0.1', '0.3', '123456789.012345', '-98765.4321', '2.2250738585072014']) {
      assert.deepEqual(valueOf(written), { type: 'float', value: Number(written) }, written)
    }
  })

  it('reads very long digit strings, up to Infinity', () => {
    const nines = '9'.repeat(200)
    assert.deepEqual(valueOf(`${nines}.${nines}`), { type: 'float', value: 1e200 })

    const longer = '9'.repeat(1_000)
    assert.deepEqual(valueOf(`${longer}.${longer}`), { type: 'float', value: Infinity })
  })

  it('leaves an incomplete exponent as trailing content', () => {
    const cases: Array<[string, string]> = [
      ['1e', 'e'],
      ['1e+', 'e+'],
      ['1E-', 'E-'],
      ['-1.234456e 1615869152385000000', 'e 16158691...'],
      ['1.', '.'],
    ]
    for (const [written, rest] of cases) {
      assert.deepEqual(
        parseLineProtocol(`m0 field=${written}`).errors.map((error) => error.message),
        [`Could not parse entire line. Found trailing content: \`${rest}\``],
        written,
      )
    }
  })
})

describe('field values: strings', () => {
  it('unescapes `\\"` and `\\\\` and keeps any other backslash', () => {
    const cases: Array<[string, string]> = [
      ['""', ''],
      ['"str val"', 'str val'],
      ['"The \\"string\\" val"', 'The "string" val'],
      ['"too hot\\cold"', 'too hot\\cold'],
      ['"too hot\\\\cold"', 'too hot\\cold'],
      ['"too hot\\\\\\cold"', 'too hot\\\\cold'],
      ['"too hot\\\\\\\\cold"', 'too hot\\\\cold'],
      ['"ends with \\\\"', 'ends with \\'],
    ]
    for (const [written, expected] of cases) {
      assert.deepEqual(valueOf(written), { type: 'string', value: expected }, written)
    }
  })

  it('keeps commas, spaces, equals signs and NUL inside a string', () => {
    assert.deepEqual(valueOf('"a, b = c\0"'), { type: 'string', value: 'a, b = c\0' })
  })

  it('reads a string that spans lines', () => {
    assert.deepEqual(valueOf('"line one\nline two"'), {
      type: 'string',
      value: 'line one\nline two',
    })
  })
})

describe('field values: booleans', () => {
  it('reads all ten spellings', () => {
    for (const written of ['t', 'T', 'true', 'True', 'TRUE']) {
      assert.deepEqual(valueOf(written), { type: 'boolean', value: true }, written)
    }
    for (const written of ['f', 'F', 'false', 'False', 'FALSE']) {
      assert.deepEqual(valueOf(written), { type: 'boolean', value: false }, written)
    }
  })

  it('reads a spelling as a prefix and leaves the rest as trailing content', () => {
    assert.deepEqual(
      parseLineProtocol('m a=tru,b=tRUE').errors.map((error) => error.message),
      ['Could not parse entire line. Found trailing content: `ru,b=tRUE`'],
    )
  })

  it('refuses other words as values', () => {
    assert.deepEqual(
      parseLineProtocol('m a=yes').errors.map((error) => error.message),
      ['No fields were provided'],
    )
  })
})

describe('timestamps', () => {
  it('reads positive, negative and zero timestamps', () => {
    assert.equal(timestampOf('m a=1 1708473600'), 1708473600n)
    assert.equal(timestampOf('foo value1=1i -123'), -123n)
    assert.equal(timestampOf('m a=1 0'), 0n)
  })

  it('reads nanosecond timestamps exactly', () => {
    assert.equal(timestampOf('m a=1 1700000000000000123'), 1700000000000000123n)
  })

  it('reads both ends of the signed 64-bit range', () => {
    assert.equal(timestampOf('m a=1 9223372036854775807'), 9223372036854775807n)
    assert.equal(timestampOf('m a=1 -9223372036854775808'), -9223372036854775808n)
  })
})
