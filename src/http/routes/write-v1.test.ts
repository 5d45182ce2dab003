import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { databaseNameProblem } from '../../catalog/index.js'
import { withRetentionPolicy } from './write-v1.js'

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
    assert.equal(
      databaseNameProblem(name),
      "db name with invalid retention policy, if providing a retention policy name, must be of form '<db_name>/<rp_name>'",
    )
  })

  it('refuses a policy on a database name that already holds one', () => {
    assert.throws(() => withRetentionPolicy('metrics/weekly', 'daily'), {
      code: 'ERR_INVALID_NAME',
      detail:
        "db name with invalid retention policy, if providing a retention policy name, must be of form '<db_name>/<rp_name>'",
    })
  })

  it('accepts `autogen` on a database name that already holds a policy', () => {
    assert.equal(withRetentionPolicy('metrics/weekly', 'autogen'), 'metrics/weekly')
  })
})
