import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { formatGoDuration, parseRetentionPeriod } from './retention-period.js'

const second = 1_000_000_000n
const hour = 3_600n * second
const day = 24n * hour

describe('parseRetentionPeriod', () => {
  it('reads days, weeks, months of 30 days and years of 365 days', () => {
    assert.equal(parseRetentionPeriod('7d'), 7n * day)
    assert.equal(parseRetentionPeriod('2w'), 14n * day)
    assert.equal(parseRetentionPeriod('1mo'), 30n * day)
    assert.equal(parseRetentionPeriod('1y'), 365n * day)
  })

  it('adds up several parts, telling `m` (minutes) from `mo` (months)', () => {
    assert.equal(parseRetentionPeriod('1h30m'), hour + 30n * 60n * second)
    assert.equal(parseRetentionPeriod('1d12h'), 36n * hour)
    assert.equal(parseRetentionPeriod('1mo1m'), 30n * day + 60n * second)
  })

  it('accepts long unit names, upper case and spaces around the text', () => {
    assert.equal(parseRetentionPeriod('30 days'), 30n * day)
    assert.equal(parseRetentionPeriod('3 Hours'), 3n * hour)
    assert.equal(parseRetentionPeriod(' 7D '), 7n * day)
    assert.equal(parseRetentionPeriod('90sec'), 90n * second)
  })

  it('returns undefined (keep forever) for `none`, `infinite` and an empty text', () => {
    for (const text of ['none', 'NONE', 'infinite', '', '  ']) {
      assert.equal(parseRetentionPeriod(text), undefined, JSON.stringify(text))
    }
  })

  it('refuses malformed periods with ERR_INVALID_RETENTION naming the text as written', () => {
    const bad = ['7', 'd', '7x', '-1d', '1.5h', '7d!', '1h30', 'forever', '1ms', 'd7']
    for (const text of bad) {
      assert.throws(
        () => parseRetentionPeriod(text),
        { code: 'ERR_INVALID_RETENTION', detail: `invalid retention period: ${text}` },
        text,
      )
    }
  })

  it('refuses a zero period', () => {
    assert.throws(() => parseRetentionPeriod('0d'), { code: 'ERR_INVALID_RETENTION' })
  })
})

describe('formatGoDuration', () => {
  it('writes hours, minutes and seconds as Go does for periods of an hour or more', () => {
    assert.equal(formatGoDuration(7n * day), '168h0m0s')
    assert.equal(formatGoDuration(hour + 30n * 60n * second), '1h30m0s')
    assert.equal(formatGoDuration(365n * day + 61n * second), '8760h1m1s')
  })

  it('writes `0s` for no retention and for zero', () => {
    assert.equal(formatGoDuration(undefined), '0s')
    assert.equal(formatGoDuration(0n), '0s')
  })

  it('reads back what parseRetentionPeriod produced', () => {
    assert.equal(formatGoDuration(parseRetentionPeriod('2w')), '336h0m0s')
  })
})

describe('retention periods, edge cases', () => {
  it('accepts spaces between parts', () => {
    assert.equal(parseRetentionPeriod('1h 30m'), 5_400_000_000_000n)
  })

  it('formats durations under an hour as Go does', () => {
    assert.equal(formatGoDuration(1_800_000_000_000n), '30m0s')
    assert.equal(formatGoDuration(90_000_000_000n), '1m30s')
    assert.equal(formatGoDuration(1_500_000_000n), '1.5s')
  })
})
