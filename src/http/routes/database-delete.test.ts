import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { parseHardDeleteAt } from './database-delete.js'

const now = Date.parse('2026-03-01T10:00:00Z')

function at(value: string): string | undefined {
  return parseHardDeleteAt(value, now)?.toISOString()
}

describe('parseHardDeleteAt', () => {
  it('reads `never` as no hard delete', () => {
    assert.equal(parseHardDeleteAt('never', now), undefined)
  })

  it('reads `now` as the current time and `default` as 72 hours later', () => {
    assert.equal(at('now'), '2026-03-01T10:00:00.000Z')
    assert.equal(at('default'), '2026-03-04T10:00:00.000Z')
  })

  it('reads an RFC 3339 time in the future as that instant', () => {
    assert.equal(at('2026-04-01T00:00:00Z'), '2026-04-01T00:00:00.000Z')
    assert.equal(at('2026-04-01T02:30:00+02:30'), '2026-04-01T00:00:00.000Z')
    assert.equal(at('2026-04-01T00:00:00.250-01:00'), '2026-04-01T01:00:00.250Z')
    assert.equal(at('2026-04-01t00:00:00z'), '2026-04-01T00:00:00.000Z')
    assert.equal(at('2026-04-01 00:00:00Z'), '2026-04-01T00:00:00.000Z')
  })

  it('reads an RFC 3339 time in the past as now', () => {
    assert.equal(at('2020-01-01T00:00:00Z'), '2026-03-01T10:00:00.000Z')
    assert.equal(at('2026-03-01T09:59:59.999Z'), '2026-03-01T10:00:00.000Z')
  })

  it('refuses anything else with ERR_INVALID_HARD_DELETE naming the value', () => {
    const bad = [
      '',
      'soon',
      'NOW',
      'Never',
      '2026-04-01',
      '2026-04-01T00:00:00',
      '1775001600',
      '2026-13-01T00:00:00Z',
      '2026-04-01T00:00:60Z',
      '2026-04-01T00:00:00+0200',
    ]
    for (const value of bad) {
      assert.throws(
        () => parseHardDeleteAt(value, now),
        { code: 'ERR_INVALID_HARD_DELETE', detail: value },
        value,
      )
    }
  })
})

describe('hard_delete_at calendar checks', () => {
  it('refuses dates that do not exist', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    for (const value of ['2026-02-30T00:00:00Z', '2026-04-01T24:00:00Z']) {
      assert.throws(() => parseHardDeleteAt(value, now), /ERR_INVALID_HARD_DELETE/)
    }
  })
})
