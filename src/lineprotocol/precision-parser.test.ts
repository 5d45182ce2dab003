import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { parsePrecision } from './index.js'

describe('parsePrecision on /api/v3/write_lp', () => {
  it('defaults to auto', () => {
    assert.equal(parsePrecision(undefined, 'v3'), 'auto')
  })

  it('accepts auto and every unit by short or full name', () => {
    const names: Array<[string, string]> = [
      ['auto', 'auto'],
      ['s', 's'],
      ['second', 's'],
      ['ms', 'ms'],
      ['millisecond', 'ms'],
      ['us', 'us'],
      ['u', 'us'],
      ['microsecond', 'us'],
      ['ns', 'ns'],
      ['n', 'ns'],
      ['nanosecond', 'ns'],
    ]
    for (const [name, precision] of names) assert.equal(parsePrecision(name, 'v3'), precision, name)
  })

  it('refuses anything else', () => {
    for (const name of [
      'invalid',
      'sec',
      'milliseconds',
      'micro',
      'nano',
      'h',
      'm',
      '',
      'S',
      'Auto',
    ]) {
      assert.equal(parsePrecision(name, 'v3'), undefined, name)
    }
  })
})

describe('parsePrecision on /write and /api/v2/write', () => {
  it('defaults to nanoseconds', () => {
    assert.equal(parsePrecision(undefined, 'v1'), 'ns')
  })

  it('accepts every unit by short or lower-case full name', () => {
    const names: Array<[string, string]> = [
      ['s', 's'],
      ['second', 's'],
      ['ms', 'ms'],
      ['millisecond', 'ms'],
      ['us', 'us'],
      ['u', 'us'],
      ['microsecond', 'us'],
      ['ns', 'ns'],
      ['n', 'ns'],
      ['nanosecond', 'ns'],
    ]
    for (const [name, precision] of names) assert.equal(parsePrecision(name, 'v1'), precision, name)
  })

  it('refuses auto, hours, minutes and other spellings', () => {
    for (const name of [
      'auto',
      'h',
      'm',
      'invalid',
      'sec',
      'milliseconds',
      'micro',
      'nano',
      'NS',
    ]) {
      assert.equal(parsePrecision(name, 'v1'), undefined, name)
    }
  })

  it('does not mistake object property names for units', () => {
    assert.equal(parsePrecision('constructor', 'v1'), undefined)
    assert.equal(parsePrecision('__proto__', 'v3'), undefined)
  })
})
