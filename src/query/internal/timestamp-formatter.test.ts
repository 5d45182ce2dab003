import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatTimestamp } from './timestamp-formatter.js'

describe('formatTimestamp', () => {
  it('prints whole seconds without a fraction and without a zone', () => {
    assert.equal(formatTimestamp(0n), '1970-01-01T00:00:00')
    assert.equal(formatTimestamp(3_000_000_000n), '1970-01-01T00:00:03')
  })

  it('prints the fewest of 3, 6 or 9 fraction digits that are exact', () => {
    assert.equal(formatTimestamp(1_000_000n), '1970-01-01T00:00:00.001')
    assert.equal(formatTimestamp(120_000_000n), '1970-01-01T00:00:00.120')
    assert.equal(formatTimestamp(1_000n), '1970-01-01T00:00:00.000001')
    assert.equal(formatTimestamp(155n), '1970-01-01T00:00:00.000000155')
    assert.equal(formatTimestamp(1_000_000_001n), '1970-01-01T00:00:01.000000001')
  })

  it('counts negative nanoseconds back from the epoch', () => {
    assert.equal(formatTimestamp(-1n), '1969-12-31T23:59:59.999999999')
    assert.equal(formatTimestamp(-1_000_000_000n), '1969-12-31T23:59:59')
    assert.equal(formatTimestamp(-86_400_000_000_000n), '1969-12-31T00:00:00')
  })

  it('prints the ends of the int64 nanosecond range exactly', () => {
    assert.equal(formatTimestamp(-(2n ** 63n)), '1677-09-21T00:12:43.145224192')
    assert.equal(formatTimestamp(2n ** 63n - 1n), '2262-04-11T23:47:16.854775807')
  })

  it('handles leap days and century rules of the Gregorian calendar', () => {
    assert.equal(formatTimestamp(nanosOf('2000-02-29T12:00:00Z')), '2000-02-29T12:00:00')
    assert.equal(formatTimestamp(nanosOf('2100-03-01T00:00:00Z')), '2100-03-01T00:00:00')
    assert.equal(formatTimestamp(nanosOf('1900-02-28T23:59:59Z')), '1900-02-28T23:59:59')
  })

  it('signs years outside 0 to 9999 like the reference does', () => {
    const secondsTo10000 = 253_402_300_800n
    assert.equal(formatTimestamp(secondsTo10000 * 1_000_000_000n), '+10000-01-01T00:00:00')
    assert.equal(formatTimestamp(nanosOf('-000001-12-31T00:00:00Z')), '-0001-12-31T00:00:00')
  })

  it('agrees with Date on millisecond instants across four centuries', () => {
    for (let ms = -5_000_000_000_000; ms < 8_000_000_000_000; ms += 7_777_777_777) {
      const expected = new Date(ms)
        .toISOString()
        .replace('Z', '')
        .replace(/\.000$/, '')
      assert.equal(formatTimestamp(BigInt(ms) * 1_000_000n), expected)
    }
  })

  it('matches the timestamp in the reference JSON example', () => {
    assert.equal(formatTimestamp(nanosOf('2065-01-07T17:28:51Z')), '2065-01-07T17:28:51')
  })
})

function nanosOf(iso: string): bigint {
  return BigInt(Date.parse(iso)) * 1_000_000n
}
