import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { isFluxgateError } from '../errors/index.js'
import type { ErrorCode } from '../errors/index.js'
import { parseInfluxql } from './influxql-parser.js'

function refusal(text: string, code: ErrorCode): string {
  try {
    parseInfluxql(text)
  } catch (error) {
    assert.ok(isFluxgateError(error, code), `${text}: ${String(error)}`)
    return error.detail ?? ''
  }
  assert.fail(`${text} parsed`)
}

describe('parseInfluxql', () => {
  it('reads a SELECT with every clause', () => {
    const text = `SELECT mean("usage") AS m, max(n) FROM "db"."rp"."cpu" WHERE host =~ /a\\/b/ AND time > now() - 1h30m
       GROUP BY time(10m, -2m), region fill(previous) ORDER BY time DESC LIMIT 5 OFFSET 1 SLIMIT 2 SOFFSET 3;`
    const statement = parseInfluxql(text)
    assert.equal(statement.kind, 'select')
    if (statement.kind !== 'select') return

    assert.deepEqual(statement.source, {
      database: 'db',
      retentionPolicy: 'rp',
      measurement: 'cpu',
      pos: text.indexOf('"db"'),
    })
    assert.equal(statement.fields[0]?.alias, 'm')
    assert.deepEqual(statement.groupBy, {
      time: { interval: 600_000_000_000n, offset: -120_000_000_000n },
      tags: ['region'],
      allTags: false,
    })
    assert.deepEqual(statement.fill, { kind: 'previous' })
    assert.equal(statement.descending, true)
    assert.deepEqual(
      [statement.limit, statement.offset, statement.slimit, statement.soffset],
      [5, 1, 2, 3],
    )
    const condition = statement.condition
    assert.ok(condition?.kind === 'binary' && condition.op === 'AND')
    assert.deepEqual(condition.left.kind === 'binary' && condition.left.right, {
      kind: 'regex',
      pattern: 'a/b',
      pos: text.indexOf('/a'),
    })
    assert.equal(
      condition.right.kind === 'binary' &&
        condition.right.right.kind === 'binary' &&
        condition.right.right.right.kind === 'duration' &&
        condition.right.right.right.nanos,
      5_400_000_000_000n,
    )
  })

  it('reads db..measurement, quoted names with escapes and string escapes', () => {
    const statement = parseInfluxql(`SELECT "a\\"b" FROM mydb.."we ird" WHERE t = 'it\\'s'`)
    assert.ok(statement.kind === 'select')
    assert.deepEqual(statement.fields[0]?.expr, {
      kind: 'identifier',
      name: 'a"b',
      cast: undefined,
      pos: 7,
    })
    assert.equal(statement.source.database, 'mydb')
    assert.equal(statement.source.retentionPolicy, undefined)
    assert.equal(statement.source.measurement, 'we ird')
    const condition = statement.condition
    assert.ok(condition?.kind === 'binary' && condition.right.kind === 'string')
    assert.equal(condition.right.value, "it's")
  })

  it('reads GROUP BY *, fill numbers and bind parameters', () => {
    const statement = parseInfluxql(
      'select count(v) from m where h = $host group by *, time(1m) fill(-1.5)',
    )
    assert.ok(statement.kind === 'select')
    assert.equal(statement.groupBy.allTags, true)
    assert.deepEqual(statement.fill, { kind: 'number', value: -1.5 })
    const condition = statement.condition
    assert.ok(condition?.kind === 'binary')
    assert.deepEqual(condition.right, { kind: 'param', name: 'host', pos: 33 })
  })

  it('reads every SHOW statement', () => {
    assert.deepEqual(parseInfluxql('SHOW DATABASES'), { kind: 'show-databases' })
    assert.deepEqual(parseInfluxql('show retention policies on "db"'), {
      kind: 'show-retention-policies',
      database: 'db',
      source: undefined,
      limit: undefined,
      offset: undefined,
    })
    const values = parseInfluxql('SHOW TAG VALUES FROM cpu WITH KEY IN ("a", b) LIMIT 2')
    assert.ok(values.kind === 'show-tag-values')
    assert.deepEqual(values.key, { op: 'in', keys: ['a', 'b'] })
    assert.equal(values.limit, 2)
    const regex = parseInfluxql('SHOW TAG VALUES WITH KEY =~ /^h/')
    assert.ok(regex.kind === 'show-tag-values')
    assert.deepEqual(regex.key, { op: '=~', pattern: '^h' })
    for (const text of ['SHOW MEASUREMENTS ON db', 'SHOW TAG KEYS FROM cpu', 'SHOW FIELD KEYS']) {
      assert.ok(parseInfluxql(text).kind.startsWith('show-'))
    }
    assert.equal(parseInfluxql('SHOW SERIES FROM db..cpu').kind, 'show-series')
  })

  it('words an unknown SHOW as the reference does, with its position', () => {
    assert.equal(
      refusal('show tags', 'ERR_INFLUXQL_PARSE'),
      'error in InfluxQL statement: parsing error: invalid SHOW statement, expected DATABASES, FIELD KEYS, MEASUREMENTS, TAG KEYS, TAG VALUES, or RETENTION POLICIES following SHOW at pos 5',
    )
    assert.match(refusal('SHOW USERS', 'ERR_INFLUXQL_PARSE'), /at pos 5$/)
  })

  it('accepts one statement only', () => {
    for (const text of [
      'SELECT v FROM m; SELECT v FROM m',
      'SELECT v FROM m; DROP MEASUREMENT m',
    ]) {
      assert.equal(
        refusal(text, 'ERR_INFLUXQL_PARSE'),
        'must provide only one InfluxQl statement per query',
      )
    }
  })

  it('refuses statements and clauses it does not run', () => {
    for (const text of [
      'DROP MEASUREMENT cpu',
      'DELETE FROM cpu',
      'CREATE DATABASE x',
      'GRANT ALL TO u',
    ]) {
      assert.match(
        refusal(text, 'ERR_INFLUXQL_PARSE'),
        /^error in InfluxQL statement: parsing error: \w+ statements are not supported, expected SELECT or SHOW at pos 0$/,
      )
    }
    assert.match(refusal('SELECT v INTO x FROM m', 'ERR_INFLUXQL_INVALID'), /INTO/)
    assert.match(refusal('SELECT v FROM (SELECT v FROM m)', 'ERR_INFLUXQL_INVALID'), /subqueries/)
    assert.match(refusal('SELECT v FROM /m.*/', 'ERR_INFLUXQL_INVALID'), /regular expressions/)
    assert.match(refusal('SELECT v FROM m ORDER BY v', 'ERR_INFLUXQL_INVALID'), /ORDER BY time/)
    assert.match(refusal("SELECT v FROM m tz('Europe/Paris')", 'ERR_INFLUXQL_INVALID'), /tz/)
    assert.match(refusal('SELECT v::integer FROM m', 'ERR_INFLUXQL_PARSE'), /unsupported cast/)
  })

  it('points at the token that does not fit', () => {
    assert.equal(
      refusal('SELECT FROM m', 'ERR_INFLUXQL_PARSE'),
      'error in InfluxQL statement: parsing error: unexpected FROM, expected identifier or literal at pos 7',
    )
    assert.match(
      refusal("SELECT v FROM m WHERE h = 'open", 'ERR_INFLUXQL_PARSE'),
      /unterminated string literal at pos 26$/,
    )
    assert.match(
      refusal('SELECT v FROM m WHERE h =~ /open', 'ERR_INFLUXQL_PARSE'),
      /unterminated regular expression at pos 27$/,
    )
    assert.match(
      refusal('SELECT v FROM m extra', 'ERR_INFLUXQL_PARSE'),
      /unexpected extra, expected end of statement at pos 16$/,
    )
    assert.match(refusal('', 'ERR_INFLUXQL_PARSE'), /expected statement/)
  })
})
