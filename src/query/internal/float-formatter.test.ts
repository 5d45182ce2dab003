import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatDisplayFloat, formatJsonFloat } from './float-formatter.js'

describe('formatJsonFloat', () => {
  it('keeps a fraction on integral values', () => {
    assert.equal(formatJsonFloat(1), '1.0')
    assert.equal(formatJsonFloat(-42), '-42.0')
    assert.equal(formatJsonFloat(0), '0.0')
    assert.equal(formatJsonFloat(-0), '-0.0')
    assert.equal(formatJsonFloat(1e9), '1000000000.0')
  })

  it('prints the shortest digits that read back as the same double', () => {
    assert.equal(formatJsonFloat(0.1), '0.1')
    assert.equal(formatJsonFloat(123.456), '123.456')
    assert.equal(formatJsonFloat(0.1 + 0.2), '0.30000000000000004')
    assert.equal(formatJsonFloat(0.00001), '0.00001')
  })

  it('switches to scientific notation below 1e-5 and from 1e10', () => {
    assert.equal(formatJsonFloat(1e10), '1.0e10')
    assert.equal(formatJsonFloat(1.5e10), '1.5e10')
    assert.equal(formatJsonFloat(1e-6), '1.0e-6')
    assert.equal(formatJsonFloat(-2.5e-7), '-2.5e-7')
    assert.equal(formatJsonFloat(Number.MAX_VALUE), '1.7976931348623157e308')
    assert.equal(JSON.parse(formatJsonFloat(Number.MIN_VALUE)), Number.MIN_VALUE)
  })

  it('writes null for NaN and infinities, which JSON cannot hold', () => {
    assert.equal(formatJsonFloat(Number.NaN), 'null')
    assert.equal(formatJsonFloat(Number.POSITIVE_INFINITY), 'null')
    assert.equal(formatJsonFloat(Number.NEGATIVE_INFINITY), 'null')
  })
})

describe('formatDisplayFloat', () => {
  it('keeps a fraction on integral values up to 1e16', () => {
    assert.equal(formatDisplayFloat(1), '1.0')
    assert.equal(formatDisplayFloat(-0), '-0.0')
    assert.equal(formatDisplayFloat(1e10), '10000000000.0')
    assert.equal(formatDisplayFloat(1e15), '1000000000000000.0')
  })

  it('switches to scientific notation below 1e-5 and from 1e16, without a lone .0', () => {
    assert.equal(formatDisplayFloat(1e16), '1e16')
    assert.equal(formatDisplayFloat(1.25e20), '1.25e20')
    assert.equal(formatDisplayFloat(0.00001), '0.00001')
    assert.equal(formatDisplayFloat(1e-6), '1e-6')
    assert.equal(formatDisplayFloat(-1.5e-7), '-1.5e-7')
  })

  it('names the values that are not finite', () => {
    assert.equal(formatDisplayFloat(Number.NaN), 'NaN')
    assert.equal(formatDisplayFloat(Number.POSITIVE_INFINITY), 'inf')
    assert.equal(formatDisplayFloat(Number.NEGATIVE_INFINITY), '-inf')
  })

  it('reads back as the same double for values across the range', () => {
    for (let exponent = -300; exponent <= 300; exponent += 7) {
      const value = 1.2345678901234567 * 10 ** exponent
      assert.equal(Number(formatDisplayFloat(value)), value)
      assert.equal(Number(formatJsonFloat(value)), value)
    }
  })
})
