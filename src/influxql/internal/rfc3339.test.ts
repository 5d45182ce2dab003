import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { formatRfc3339Nano } from './rfc3339.js'

describe('formatRfc3339Nano', () => {
  it('leaves out the fraction of whole seconds', () => {
    assert.equal(formatRfc3339Nano(0n), '1970-01-01T00:00:00Z')
    assert.equal(formatRfc3339Nano(10_000_000_000n), '1970-01-01T00:00:10Z')
    assert.equal(formatRfc3339Nano(1_772_359_200_000_000_000n), '2026-03-01T10:00:00Z')
  })

  it('trims the trailing zeros of a fraction, but none of the seconds', () => {
    assert.equal(formatRfc3339Nano(1_500_000_000n), '1970-01-01T00:00:01.5Z')
    assert.equal(formatRfc3339Nano(10_100_000_000n), '1970-01-01T00:00:10.1Z')
    assert.equal(formatRfc3339Nano(120_000_000n), '1970-01-01T00:00:00.12Z')
    assert.equal(formatRfc3339Nano(10_000n), '1970-01-01T00:00:00.00001Z')
    assert.equal(formatRfc3339Nano(1n), '1970-01-01T00:00:00.000000001Z')
    assert.equal(formatRfc3339Nano(1_000_000_010n), '1970-01-01T00:00:01.00000001Z')
  })

  it('counts times before 1970 back from the epoch', () => {
    assert.equal(formatRfc3339Nano(-1n), '1969-12-31T23:59:59.999999999Z')
    assert.equal(formatRfc3339Nano(-500_000_000n), '1969-12-31T23:59:59.5Z')
    assert.equal(formatRfc3339Nano(-1_000_000_000n), '1969-12-31T23:59:59Z')
    assert.equal(formatRfc3339Nano(-86_400_000_000_000n), '1969-12-31T00:00:00Z')
  })

  it('formats the whole int64 range', () => {
    assert.equal(formatRfc3339Nano(-(2n ** 63n)), '1677-09-21T00:12:43.145224192Z')
    assert.equal(formatRfc3339Nano(2n ** 63n - 1n), '2262-04-11T23:47:16.854775807Z')
  })
})
