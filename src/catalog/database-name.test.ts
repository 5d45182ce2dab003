import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  assertValidDatabaseName,
  databaseNameProblem,
  withRetentionPolicy,
} from './database-name.js'

const badStart = 'db name did not start with a number or letter'
const badCharacter =
  'invalid character in database or rp name: must be ASCII, containing only letters, numbers, underscores, or hyphens'
const badPolicy =
  "db name with invalid retention policy, if providing a retention policy name, must be of form '<db_name>/<rp_name>'"

describe('database names: the reference table, row by row', () => {
  it('refuses an empty name', () => {
    assert.equal(databaseNameProblem(''), 'db name cannot be empty')
  })

  it('refuses a name that does not start with an ASCII letter or digit', () => {
    for (const name of ['?this_is_fine', '_foo', '-foo', '/']) {
      assert.equal(databaseNameProblem(name), badStart, name)
    }
  })

  it('refuses characters other than ASCII letters, digits, `_`, `-` and one `/`', () => {
    for (const name of ['this#_is_fine', 'foo@bar/baz', 'café', 'a b', 'a.b']) {
      assert.equal(databaseNameProblem(name), badCharacter, name)
    }
  })

  it('refuses a second `/` and a trailing `/` as a malformed retention policy', () => {
    for (const name of ['foo/bar/baz', 'foo/', 'foo///']) {
      assert.equal(databaseNameProblem(name), badPolicy, name)
    }
  })

  it('refuses a name of 512 bytes', () => {
    assert.equal(databaseNameProblem('1'.repeat(512)), 'db name too long: max 511')
  })

  it('counts the limit in UTF-8 bytes, not characters', () => {
    assert.equal(databaseNameProblem('é'.repeat(300)), 'db name too long: max 511')
  })

  it('accepts the valid names of the reference, up to 511 bytes', () => {
    for (const name of ['foo/bar', 'foo-bar', 'foo_bar', 'f', '1', '1/-', '1'.repeat(511)]) {
      assert.equal(databaseNameProblem(name), undefined, name)
    }
  })
})

describe('assertValidDatabaseName', () => {
  it('throws ERR_INVALID_NAME carrying the exact reference message', () => {
    assert.throws(() => assertValidDatabaseName('foo/'), {
      name: 'FluxgateError',
      code: 'ERR_INVALID_NAME',
      detail: badPolicy,
    })
    assert.throws(() => assertValidDatabaseName(''), {
      code: 'ERR_INVALID_NAME',
      detail: 'db name cannot be empty',
    })
  })

  it('returns quietly for a valid name', () => {
    assert.doesNotThrow(() => assertValidDatabaseName('metrics/weekly'))
  })
})

describe('withRetentionPolicy', () => {
  it('writes to the database itself without a policy, or with an empty or quoted empty one', () => {
    for (const rp of [null, '', "''", '  ']) {
      assert.equal(withRetentionPolicy('metrics', rp), 'metrics', String(rp))
    }
  })

  it('writes to the database itself for `autogen` and `default` in any case', () => {
    for (const rp of ['autogen', 'AUTOGEN', 'AutoGen', 'default', 'Default', 'DEFAULT']) {
      assert.equal(withRetentionPolicy('metrics', rp), 'metrics', rp)
    }
  })

  it('writes to `<db>/<rp>` for any other policy, with the policy lower-cased', () => {
    assert.equal(withRetentionPolicy('metrics', 'weekly'), 'metrics/weekly')
    assert.equal(withRetentionPolicy('metrics', 'Weekly'), 'metrics/weekly')
    assert.equal(withRetentionPolicy('Metrics', 'ONE_YEAR'), 'Metrics/one_year')
  })

  it('yields names that the database name rules accept', () => {
    assert.equal(databaseNameProblem(withRetentionPolicy('metrics', 'Weekly')), undefined)
  })

  it('leaves a policy the name rules refuse to them', () => {
    const name = withRetentionPolicy('metrics', 'a/b')

    assert.equal(name, 'metrics/a/b')
    assert.equal(databaseNameProblem(name), badPolicy)
  })

  it('refuses a policy on a database name that already holds one', () => {
    assert.throws(() => withRetentionPolicy('metrics/weekly', 'daily'), {
      code: 'ERR_INVALID_NAME',
      detail: badPolicy,
    })
  })

  it('accepts `autogen` on a database name that already holds a policy', () => {
    assert.equal(withRetentionPolicy('metrics/weekly', 'autogen'), 'metrics/weekly')
  })
})
