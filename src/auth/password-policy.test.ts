import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { defaultPasswordLimits, passwordLimits, passwordProblem } from './password-policy.js'

const limits = defaultPasswordLimits

describe('password policy', () => {
  it('PW-1 needs 15 characters by default and never allows a minimum below 8', () => {
    assert.match(passwordProblem('fourteen chars', { limits }) ?? '', /at least 15/)
    assert.equal(passwordProblem('a fifteen chars', { limits }), undefined)
    assert.throws(() => passwordLimits(7), /at least 8/)
    assert.equal(passwordLimits(8).minLength, 8)
  })

  it('PW-2 accepts 64 characters and more, and counts a code point as one character', () => {
    assert.equal(
      passwordProblem('x'.repeat(40) + ' long and fine ' + 'y'.repeat(9), { limits }),
      undefined,
    )
    assert.equal(passwordProblem('🔐🌊🌲🔥🎻🍵🧭🪐🐙🦉🌵🍄🛶🏔️🎲', { limits }), undefined)
    assert.match(passwordProblem('🔐'.repeat(14), { limits }) ?? '', /at least 15/)
    assert.match(passwordProblem('x'.repeat(257), { limits }) ?? '', /at most 256/)
  })

  it('PW-3 has no composition rules', () => {
    assert.equal(passwordProblem('correct horse battery', { limits }), undefined)
  })

  it('PW-4 refuses common passwords and the username, saying why', () => {
    assert.match(passwordProblem('password123456789', { limits }) ?? '', /commonly used/)
    assert.match(passwordProblem('PASSWORD123456789', { limits }) ?? '', /commonly used/)
    assert.match(
      passwordProblem('ada-lovelace-rocks-2026', { username: 'ada-lovelace', limits }) ?? '',
      /username/,
    )
    assert.match(passwordProblem('my fluxgate password', { limits }) ?? '', /product name/)
  })
})
