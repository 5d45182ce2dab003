import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { InvalidArgumentError } from 'commander'

import { parseExpiry } from './token-expiry.js'

describe('parseExpiry', () => {
  it('turns humantime units into seconds', () => {
    assert.equal(parseExpiry('2s'), 2)
    assert.equal(parseExpiry('10m'), 600)
    assert.equal(parseExpiry('1h'), 3_600)
    assert.equal(parseExpiry('7d'), 604_800)
    assert.equal(parseExpiry('1w'), 604_800)
    assert.equal(parseExpiry('1M'), 2_630_016)
    assert.equal(parseExpiry('1y'), 31_557_600)
  })

  it('adds parts up, with or without spaces, and accepts long unit names', () => {
    assert.equal(parseExpiry('1h30m'), 5_400)
    assert.equal(parseExpiry('1h 30m 15s'), 5_415)
    assert.equal(parseExpiry('2 days'), 172_800)
    assert.equal(parseExpiry('1500ms'), 1)
  })

  it('rejects unknown units, bare numbers and other text', () => {
    for (const text of ['10q', '10', '', 'soon', '-1h', '1.5h', '1H']) {
      assert.throws(() => parseExpiry(text), InvalidArgumentError, text)
    }
  })

  it('rejects an expiry under one second or over a thousand years', () => {
    assert.throws(() => parseExpiry('0s'), /at least 1s/)
    assert.throws(() => parseExpiry('999ms'), /at least 1s/)
    assert.equal(parseExpiry('1000y'), 31_557_600_000)
    assert.throws(() => parseExpiry('1001y'), /at most 1000y/)
  })
})
