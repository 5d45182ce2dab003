import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { TableRecord } from '../catalog/index.js'
import { isFluxgateError } from '../errors/index.js'
import { parseInfluxql } from './influxql-parser.js'
import { bindStatementParams } from './param-binder.js'
import { planSelect } from './select-planner.js'

const cpu: TableRecord = {
  id: 1,
  databaseId: 1,
  name: 'cpu',
  columns: [
    { name: 'host', type: 'tag' },
    { name: 'usage', type: 'float' },
    { name: 'note', type: 'string' },
    { name: 'time', type: 'time' },
  ],
}
const now = 1_772_359_200_000_000_000n

function plan(text: string, params: Record<string, string | number> = {}) {
  const statement = parseInfluxql(text)
  assert.ok(statement.kind === 'select')
  return planSelect(bindStatementParams(statement, params), cpu, { now })
}

describe('planSelect', () => {
  it('binds every user value as a parameter, never as SQL text', () => {
    const hostile = `x'); DROP TABLE cpu; --`
    const result = plan(
      `SELECT usage FROM cpu WHERE host = 'x\\'); DROP TABLE cpu; --' OR note =~ /'; DROP/ OR host = $h`,
      { h: hostile },
    )
    assert.equal(result.kind, 'sql')
    if (result.kind !== 'sql') return
    assert.ok(!result.sql.includes('DROP'), result.sql)
    assert.deepEqual(Object.values(result.params), ['cpu', hostile, "'; DROP", hostile])
  })

  it('quotes output names and leaves names the measurement lacks out of the SQL', () => {
    const result = plan(`SELECT "we\\"ird", usage FROM cpu WHERE "o\\"ther" = ''`)
    assert.ok(result.kind === 'sql')
    assert.ok(result.sql.includes('NULL::DOUBLE AS "we""ird"'), result.sql)
    assert.ok(!result.sql.includes('ther'))
  })

  it('plans nothing for an unknown measurement or only unknown fields', () => {
    const statement = parseInfluxql('SELECT usage FROM nope GROUP BY host')
    assert.ok(statement.kind === 'select')
    assert.deepEqual(planSelect(statement, undefined, { now }), {
      kind: 'empty',
      seriesTags: ['host'],
    })
    assert.equal(plan('SELECT missing FROM cpu').kind, 'empty')
  })

  it('refuses what InfluxQL does not allow', () => {
    const refusals: Array<[string, RegExp]> = [
      ['SELECT host FROM cpu', /at least one field/],
      ['SELECT usage, mean(usage) FROM cpu', /mixing aggregate/],
      ['SELECT usage FROM cpu GROUP BY time(1m)', /at least one aggregate/],
      ['SELECT mean(note) FROM cpu', /numeric field/],
      ['SELECT mean(host) FROM cpu', /cannot aggregate tag/],
      ['SELECT derivative(usage) FROM cpu', /not supported/],
      ['SELECT usage * 2 FROM cpu', /only tags, fields/],
      ['SELECT usage FROM cpu WHERE time > 1 OR usage > 1', /invalid time condition/],
      ["SELECT usage FROM cpu WHERE time > 'yesterday'", /invalid time literal/],
      ['SELECT usage FROM cpu WHERE usage > $missing', /Bind parameter '\$missing'/],
      ['SELECT count(usage) FROM cpu WHERE time > 0 GROUP BY time(1ns)', /buckets/],
      ['SELECT usage FROM cpu GROUP BY usage', /GROUP BY field/],
    ]
    for (const [text, message] of refusals) {
      assert.throws(
        () => plan(text),
        (error) => isFluxgateError(error, 'ERR_INFLUXQL_INVALID') && message.test(error.message),
        text,
      )
    }
  })
})
