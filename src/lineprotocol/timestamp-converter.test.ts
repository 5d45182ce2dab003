import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  defaultTimestamp,
  inferUnit,
  timestampOutOfRangeMessage,
  toNanoseconds,
  unitOf,
} from './index.js'

const INT64_MAX = 9223372036854775807n
const INT64_MIN = -9223372036854775808n

describe('inferUnit (auto precision)', () => {
  it('switches unit exactly at the reference boundaries', () => {
    assert.equal(inferUnit(0n), 's')
    assert.equal(inferUnit(4_999_999_999n), 's')
    assert.equal(inferUnit(5_000_000_000n), 'ms')
    assert.equal(inferUnit(4_999_999_999_999n), 'ms')
    assert.equal(inferUnit(5_000_000_000_000n), 'us')
    assert.equal(inferUnit(4_999_999_999_999_999n), 'us')
    assert.equal(inferUnit(5_000_000_000_000_000n), 'ns')
    assert.equal(inferUnit(INT64_MAX), 'ns')
  })

  it('judges negative timestamps by their absolute value', () => {
    assert.equal(inferUnit(-4_999_999_999n), 's')
    assert.equal(inferUnit(-5_000_000_000n), 'ms')
    assert.equal(inferUnit(-5_000_000_000_000n), 'us')
    assert.equal(inferUnit(-5_000_000_000_000_000n), 'ns')
    assert.equal(inferUnit(INT64_MIN), 'ns')
  })

  it('leaves explicit precisions alone', () => {
    assert.equal(unitOf(1n, 'ns'), 'ns')
    assert.equal(unitOf(1708473600n, 'ms'), 'ms')
    assert.equal(unitOf(1708473600n, 'auto'), 's')
  })
})

describe('toNanoseconds', () => {
  it('lands the auto examples of the reference on consecutive seconds', () => {
    assert.equal(toNanoseconds(1708473600n, 'auto'), 1708473600_000000000n)
    assert.equal(toNanoseconds(1708473601000n, 'auto'), 1708473601_000000000n)
    assert.equal(toNanoseconds(1708473602000000n, 'auto'), 1708473602_000000000n)
    assert.equal(toNanoseconds(1708473603000000000n, 'auto'), 1708473603_000000000n)
  })

  it('scales a timestamp of 1 by each explicit unit', () => {
    assert.equal(toNanoseconds(1n, 's'), 1_000_000_000n)
    assert.equal(toNanoseconds(1n, 'ms'), 1_000_000n)
    assert.equal(toNanoseconds(1n, 'us'), 1_000n)
    assert.equal(toNanoseconds(1n, 'ns'), 1n)
  })

  it('keeps negative timestamps negative', () => {
    assert.equal(toNanoseconds(-123n, 's'), -123_000_000_000n)
    assert.equal(toNanoseconds(-123n, 'auto'), -123_000_000_000n)
  })

  it('is exact at the edges of the signed 64-bit range', () => {
    assert.equal(toNanoseconds(INT64_MAX, 'ns'), INT64_MAX)
    assert.equal(toNanoseconds(INT64_MIN, 'ns'), INT64_MIN)
    assert.equal(toNanoseconds(9223372036n, 's'), 9223372036_000000000n)
    assert.equal(toNanoseconds(-9223372036n, 's'), -9223372036_000000000n)
  })

  it('returns undefined when the result leaves the signed 64-bit range', () => {
    assert.equal(toNanoseconds(9223372037n, 's'), undefined)
    assert.equal(toNanoseconds(-9223372037n, 's'), undefined)
    assert.equal(toNanoseconds(9223372036855n, 'ms'), undefined)
    assert.equal(toNanoseconds(9223372036854776n, 'us'), undefined)
  })

  it('never overflows for auto on a 64-bit timestamp', () => {
    for (const timestamp of [INT64_MAX, INT64_MIN, 4_999_999_999n, 4_999_999_999_999_999n]) {
      assert.notEqual(toNanoseconds(timestamp, 'auto'), undefined, String(timestamp))
    }
  })
})

describe('timestampOutOfRangeMessage', () => {
  it('names the unit the way the reference does', () => {
    assert.equal(
      timestampOutOfRangeMessage(9300000000n, 's'),
      'timestamp, 9300000000, out of range for precision: Second',
    )
    assert.equal(
      timestampOutOfRangeMessage(9300000000000n, 'ms'),
      'timestamp, 9300000000000, out of range for precision: Millisecond',
    )
    assert.equal(
      timestampOutOfRangeMessage(-9300000000000000n, 'us'),
      'timestamp, -9300000000000000, out of range for precision: Microsecond',
    )
    assert.equal(
      timestampOutOfRangeMessage(1n, 'ns'),
      'timestamp, 1, out of range for precision: Nanosecond',
    )
  })
})

describe('defaultTimestamp', () => {
  const now = 1708473600_123456789n

  it('truncates server time to the unit of an explicit precision', () => {
    assert.equal(defaultTimestamp(now, 's'), 1708473600_000000000n)
    assert.equal(defaultTimestamp(now, 'ms'), 1708473600_123000000n)
    assert.equal(defaultTimestamp(now, 'us'), 1708473600_123456000n)
    assert.equal(defaultTimestamp(now, 'ns'), now)
  })

  it('keeps full nanoseconds for auto', () => {
    assert.equal(defaultTimestamp(now, 'auto'), now)
  })
})
