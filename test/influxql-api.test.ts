import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import {
  createResourceToken,
  dbPermission,
  forbiddenBody,
  jsonInit,
} from './support/auth-requests.js'
import { at, fixtureClock, fixtureLines, v3Time } from './support/influxql-fixture.js'
import { parquetRows } from './support/parquet.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

type Row = Record<string, unknown>

const range = (from: number, to: number) => `time >= ${at(from)} AND time < ${at(to)}`

describe('InfluxQL on /api/v3/query_influxql', () => {
  let app: TestServer

  before(async () => {
    app = await startTestServer({}, { clock: fixtureClock() })
    assert.equal((await app.write('db1', fixtureLines)).status, 204)
    assert.equal((await app.write('db2', `cpu,host=z usage=9 ${at(0)}`)).status, 204)
  })
  after(() => app.close())

  const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    app.fetch(`/api/v3/query_influxql?${new URLSearchParams(params)}`, { headers })
  const rows = async (q: string, db = 'db1'): Promise<Row[]> => {
    const res = await get({ db, q })
    const text = await res.text()
    assert.equal(res.status, 200, text)
    return JSON.parse(text) as Row[]
  }
  const column = async (q: string, name: string) => (await rows(q)).map((row) => row[name])
  const refusal = async (params: Record<string, string>) => {
    const res = await get(params)
    return { status: res.status, body: await res.text() }
  }

  it('answers SELECT * with iox::measurement, time and the columns sorted by name', async () => {
    const res = await get({ db: 'db1', q: 'SELECT * FROM cpu LIMIT 1', format: 'jsonl' })
    assert.equal(res.headers.get('content-type'), 'application/jsonl')
    assert.equal(
      await res.text(),
      `{"iox::measurement":"cpu","time":"${v3Time(0)}","host":"a","n":10,"region":"us","usage":1.0}\n`,
    )
  })

  it('filters on tags and fields with =, !=, regexes, AND, OR and parentheses', async () => {
    const usage = (where: string) => column(`SELECT usage FROM cpu WHERE ${where}`, 'usage')
    assert.deepEqual(await usage("host = 'a'"), [1, 3, 6])
    assert.deepEqual(await usage("host != 'a'"), [2, 4])
    assert.deepEqual(await usage('host =~ /^(a|b)$/ AND usage > 2 AND usage <= 4'), [3, 4])
    assert.deepEqual(await usage('region !~ /s/'), [2, 4])
    assert.deepEqual(await usage("(host = 'a' OR host = 'b') AND usage >= 4"), [4, 6])
    assert.deepEqual(await usage("n = 30 OR host = 'b'"), [2, 3, 4])
    assert.deepEqual(await usage("zone = ''"), [1, 2, 3, 4, 6])
    assert.deepEqual(await usage("zone != ''"), [])
    assert.deepEqual(await usage("usage = 'text'"), [])
    assert.deepEqual(await column('SELECT temp FROM weather WHERE ok = true', 'temp'), [20.5])
    assert.deepEqual(await column('SELECT temp FROM weather WHERE note =~ /sn/', 'temp'), [-3.5])
  })

  it('returns a point only where a selected field has a value, tags as columns', async () => {
    assert.deepEqual(await rows('SELECT n, host FROM cpu WHERE n > 15'), [
      { 'iox::measurement': 'cpu', time: v3Time(1), n: 20, host: 'b' },
      { 'iox::measurement': 'cpu', time: v3Time(3), n: 30, host: 'a' },
      { 'iox::measurement': 'cpu', time: v3Time(5), n: 60, host: 'a' },
    ])
  })

  it('bounds time with RFC 3339, nanoseconds, now() arithmetic and =', async () => {
    const usage = (where: string) => column(`SELECT usage FROM cpu WHERE ${where}`, 'usage')
    assert.deepEqual(await usage(`time >= '2026-03-01T09:03:00Z'`), [3, 4, 6])
    assert.deepEqual(await usage(`time > '2026-03-01 09:03:00'`), [4, 6])
    assert.deepEqual(await usage(`time <= ${at(1)}`), [1, 2])
    assert.deepEqual(await usage(`time < ${at(1)}`), [1])
    assert.deepEqual(await usage(`time = ${at(3)}`), [3])
    assert.deepEqual(await usage(`time >= now() - 57m`), [3, 4, 6])
    assert.deepEqual(await usage(`time >= now() - 1h AND time < now() - 58m`), [1, 2])
    assert.deepEqual(await column('SELECT v FROM future', 'v'), [1, 2])
  })

  it('computes every aggregate exactly; time is the range start or 0', async () => {
    const [all] = await rows(
      'SELECT mean(usage), median(usage), count(usage), sum(n), min(usage), max(usage), first(usage), last(usage), spread(usage), stddev(usage), percentile(usage, 90) FROM cpu',
    )
    assert.ok(all !== undefined)
    const stddev = all.stddev as number
    assert.ok(Math.abs(stddev - Math.sqrt(3.7)) < 1e-12, String(stddev))
    assert.deepEqual(
      { ...all, stddev: 0 },
      {
        'iox::measurement': 'cpu',
        time: '1970-01-01T00:00:00',
        mean: 3.2,
        median: 3,
        count: 5,
        sum: 120,
        min: 1,
        max: 6,
        first: 1,
        last: 6,
        spread: 5,
        stddev: 0,
        percentile: 6,
      },
    )

    const [ranged] = await rows(
      `SELECT mean(n), percentile(usage, 50) FROM cpu WHERE time >= ${at(1)}`,
    )
    assert.deepEqual(ranged, {
      'iox::measurement': 'cpu',
      time: v3Time(1),
      mean: 110 / 3,
      percentile: 3,
    })
  })

  it('gives a lone selector the time of its point, per GROUP BY tag set', async () => {
    assert.deepEqual(await rows('SELECT max(usage) FROM cpu'), [
      { 'iox::measurement': 'cpu', time: v3Time(5), max: 6 },
    ])
    assert.deepEqual(await rows('SELECT first(usage) FROM cpu GROUP BY host'), [
      { 'iox::measurement': 'cpu', time: v3Time(0), host: 'a', first: 1 },
      { 'iox::measurement': 'cpu', time: v3Time(1), host: 'b', first: 2 },
    ])
    assert.deepEqual(await rows('SELECT last(note), min(temp) AS coldest FROM weather'), [
      { 'iox::measurement': 'weather', time: '1970-01-01T00:00:00', last: 'snow', coldest: -3.5 },
    ])
  })

  it('groups by time with fill(null) as InfluxDB 1.x does: count reports 0', async () => {
    const q = `SELECT mean(usage), count(usage) FROM cpu WHERE ${range(0, 8)} GROUP BY time(2m)`
    assert.deepEqual(await rows(q), [
      { 'iox::measurement': 'cpu', time: v3Time(0), mean: 1.5, count: 2 },
      { 'iox::measurement': 'cpu', time: v3Time(2), mean: 3, count: 1 },
      { 'iox::measurement': 'cpu', time: v3Time(4), mean: 5, count: 2 },
      { 'iox::measurement': 'cpu', time: v3Time(6), count: 0 },
    ])
  })

  it('fills gaps with none, previous, linear and a number, per series', async () => {
    const base = `SELECT max(usage) FROM cpu WHERE ${range(0, 6)} GROUP BY time(1m), host`
    const series = async (fill: string, host: string) =>
      (await rows(`${base} fill(${fill})`)).filter((r) => r.host === host).map((r) => r.max ?? null)
    assert.deepEqual(await series('none', 'b'), [2, 4])
    assert.deepEqual(await series('previous', 'a'), [1, 1, 1, 3, 3, 6])
    assert.deepEqual(await series('previous', 'b'), [null, 2, 2, 2, 4, 4])
    assert.deepEqual(await series('0', 'b'), [0, 2, 0, 0, 4, 0])
    assert.deepEqual(await series('null', 'b'), [null, 2, null, null, 4, null])

    const linear = (await series('linear', 'a')) as number[]
    const expected = [1, 1 + 2 / 3, 1 + 4 / 3, 3, 4.5, 6]
    assert.equal(linear.length, expected.length)
    linear.forEach((value, index) => assert.ok(Math.abs(value - (expected[index] ?? 0)) < 1e-9))
  })

  it('shifts buckets by the time() offset', async () => {
    const q = `SELECT mean(usage) FROM cpu WHERE ${range(0, 6)} GROUP BY time(2m, 1m)`
    assert.deepEqual(await column(q, 'mean'), [1, 2, 3.5, 6])
    assert.equal((await rows(q))[0]?.time, '2026-03-01T08:59:00')
  })

  it('bounds the grid by now() without an upper bound and by the earliest point without a lower one', async () => {
    const recent = await rows(
      'SELECT count(usage) FROM cpu WHERE time >= now() - 1h GROUP BY time(20m)',
    )
    assert.deepEqual(
      recent.map((r) => [r.time, r.count]),
      [
        ['2026-03-01T09:00:00', 5],
        ['2026-03-01T09:20:00', 0],
        ['2026-03-01T09:40:00', 0],
        ['2026-03-01T10:00:00', 0],
      ],
    )
    const all = await rows('SELECT sum(v) FROM future GROUP BY time(30m)')
    assert.deepEqual(
      all.map((r) => [r.time, r.sum ?? null]),
      [
        ['2026-03-01T09:00:00', 1],
        ['2026-03-01T09:30:00', null],
        ['2026-03-01T10:00:00', null],
      ],
    )
  })

  it('orders by time descending and limits points per series and series with SLIMIT', async () => {
    assert.deepEqual(
      await column('SELECT usage FROM cpu ORDER BY time DESC LIMIT 2', 'usage'),
      [6, 4],
    )
    assert.deepEqual(await column('SELECT usage FROM cpu LIMIT 2 OFFSET 1', 'usage'), [2, 3])
    const perHost = await rows('SELECT usage FROM cpu GROUP BY host LIMIT 1')
    assert.deepEqual(
      perHost.map((r) => [r.host, r.usage]),
      [
        ['a', 1],
        ['b', 2],
      ],
    )
    const second = await rows('SELECT usage FROM cpu GROUP BY host SLIMIT 1 SOFFSET 1')
    assert.deepEqual(
      second.map((r) => [r.host, r.usage]),
      [
        ['b', 2],
        ['b', 4],
      ],
    )
    const grouped = await rows(
      `SELECT count(usage) FROM cpu WHERE ${range(0, 6)} GROUP BY time(3m), * ORDER BY time DESC`,
    )
    assert.deepEqual(
      grouped.map((r) => [r.host, r.region, r.count]),
      [
        ['a', 'us', 2],
        ['a', 'us', 1],
        ['b', 'eu', 1],
        ['b', 'eu', 1],
      ],
    )
  })

  it('lists distinct values and counts them', async () => {
    assert.deepEqual(await rows('SELECT distinct(note) FROM weather'), [
      { 'iox::measurement': 'weather', time: '1970-01-01T00:00:00', distinct: 'snow' },
      { 'iox::measurement': 'weather', time: '1970-01-01T00:00:00', distinct: 'sunny' },
    ])
    assert.deepEqual(await column('SELECT count(distinct(n)) AS kinds FROM cpu', 'kinds'), [4])
  })

  it('reads the database from FROM db.rp.m, db..m and quoted names, without a db parameter', async () => {
    for (const from of ['db1.autogen.cpu', 'db1..cpu', '"db1"."autogen"."cpu"']) {
      const res = await get({ q: `SELECT count(usage) FROM ${from}` })
      assert.deepEqual(await res.json(), [
        { 'iox::measurement': 'cpu', time: '1970-01-01T00:00:00', count: 5 },
      ])
    }
    assert.deepEqual(await column('SELECT "a\\"b" FROM odd', 'a"b'), [7])
  })

  it('binds $params from a POST body, for tags and times', async () => {
    const res = await app.fetch(
      '/api/v3/query_influxql',
      jsonInit('POST', {
        db: 'db1',
        q: 'SELECT usage FROM cpu WHERE host = $host AND time >= $from',
        params: { host: 'a', from: '2026-03-01T09:01:00Z' },
      }),
    )
    assert.deepEqual(
      ((await res.json()) as Row[]).map((r) => r.usage),
      [3, 6],
    )

    const missing = await refusal({ db: 'db1', q: 'SELECT usage FROM cpu WHERE host = $host' })
    assert.equal(missing.status, 400)
    assert.match(
      missing.body,
      /Bind parameter '\$host' was referenced in the InfluxQL statement but its value is undefined/,
    )
  })

  it('answers the SHOW statements from the catalog and the data', async () => {
    const show = (q: string) => rows(q)
    assert.deepEqual(
      await show('SHOW MEASUREMENTS'),
      ['cpu', 'future', 'odd', 'weather'].map((name) => ({
        'iox::measurement': 'measurements',
        name,
      })),
    )
    assert.deepEqual(await show('SHOW TAG KEYS FROM cpu'), [
      { 'iox::measurement': 'cpu', tagKey: 'host' },
      { 'iox::measurement': 'cpu', tagKey: 'region' },
    ])
    assert.deepEqual(await show('SHOW FIELD KEYS FROM weather'), [
      { 'iox::measurement': 'weather', fieldKey: 'note', fieldType: 'string' },
      { 'iox::measurement': 'weather', fieldKey: 'ok', fieldType: 'boolean' },
      { 'iox::measurement': 'weather', fieldKey: 'temp', fieldType: 'float' },
    ])
    assert.deepEqual(await show('SHOW TAG VALUES FROM cpu WITH KEY = "host"'), [
      { 'iox::measurement': 'cpu', key: 'host', value: 'a' },
      { 'iox::measurement': 'cpu', key: 'host', value: 'b' },
    ])
    assert.deepEqual(
      (await show('SHOW TAG VALUES WITH KEY =~ /^(city|region)$/ LIMIT 3')).map((r) => r.value),
      ['eu', 'us', 'oslo'],
    )
    assert.deepEqual(await show('SHOW TAG VALUES WITH KEY IN ("city") OFFSET 1'), [
      { 'iox::measurement': 'weather', key: 'city', value: 'paris' },
    ])
    assert.deepEqual(await show('SHOW SERIES FROM cpu'), [
      { 'iox::measurement': 'cpu', key: 'cpu,host=a,region=us' },
      { 'iox::measurement': 'cpu', key: 'cpu,host=b,region=eu' },
    ])
    assert.deepEqual(await show('SHOW RETENTION POLICIES ON db1'), [
      { 'iox::database': 'db1', name: 'autogen', duration: '0s' },
    ])
    const databases = await get({ q: 'SHOW DATABASES' })
    assert.deepEqual(await databases.json(), [
      { 'iox::database': '_internal', deleted: false },
      { 'iox::database': 'db1', deleted: false },
      { 'iox::database': 'db2', deleted: false },
    ])
  })

  it('renders csv, pretty and parquet like SQL results', async () => {
    const q = `SELECT usage FROM cpu WHERE host = 'b'`
    const csv = await get({ db: 'db1', q, format: 'csv' })
    assert.equal(csv.headers.get('content-type'), 'text/csv')
    assert.equal(
      await csv.text(),
      `iox::measurement,time,usage\ncpu,${v3Time(1)},2.0\ncpu,${v3Time(4)},4.0\n`,
    )
    const pretty = await (
      await get({ db: 'db1', q: 'SHOW TAG KEYS FROM cpu', format: 'pretty' })
    ).text()
    assert.match(pretty, /^\+-+\+-+\+\n\| iox::measurement \| tagKey \|/)
    const parquet = await get({ db: 'db1', q, format: 'parquet' })
    assert.equal(parquet.status, 200)
    const stored = await parquetRows(new Uint8Array(await parquet.arrayBuffer()))
    assert.deepEqual(
      stored.map((row) => [row['iox::measurement'], row.usage]),
      [
        ['cpu', 2],
        ['cpu', 4],
      ],
    )
  })

  it('answers an unknown measurement or field with no rows', async () => {
    assert.deepEqual(await rows('SELECT usage FROM nothing'), [])
    assert.deepEqual(await rows('SELECT nothing FROM cpu'), [])
  })

  it('words parse, statement-count and database errors as the reference does', async () => {
    assert.deepEqual(await refusal({ db: 'db1', q: 'show tags' }), {
      status: 400,
      body: JSON.stringify({
        error:
          'error in InfluxQL statement: parsing error: invalid SHOW statement, expected DATABASES, FIELD KEYS, MEASUREMENTS, TAG KEYS, TAG VALUES, or RETENTION POLICIES following SHOW at pos 5',
      }),
    })
    assert.deepEqual(
      await refusal({ db: 'db1', q: 'SELECT usage FROM cpu; SELECT usage FROM cpu' }),
      {
        status: 400,
        body: '{"error":"must provide only one InfluxQl statement per query"}',
      },
    )
    assert.deepEqual(await refusal({ q: 'SELECT usage FROM cpu' }), {
      status: 400,
      body: `{"error":"must specify a 'db' parameter, or provide the database in the InfluxQL query"}`,
    })
    const mismatch = await refusal({ db: 'db1', q: 'SELECT usage FROM db2..cpu' })
    assert.equal(mismatch.status, 400)
    assert.match(
      mismatch.body,
      /provided a database in both the parameters \(db1\) and query string \(db2\) that do not match/,
    )
    assert.deepEqual(await refusal({ db: 'nope', q: 'SELECT usage FROM cpu' }), {
      status: 404,
      body: '{"error":"query error: database not found: nope"}',
    })
  })

  it('AZ-9 refuses writes, schema changes and other statements with 400 and changes nothing', async () => {
    const before = await rows('SELECT * FROM cpu')
    for (const q of [
      'DROP MEASUREMENT cpu',
      'DELETE FROM cpu',
      'DROP DATABASE db1',
      'CREATE DATABASE evil',
      'SELECT usage INTO copy FROM cpu',
      'SELECT usage FROM cpu; DROP MEASUREMENT cpu',
      'GRANT ALL TO somebody',
      'SHOW USERS',
      'SELECT derivative(usage) FROM cpu',
      'SELECT usage * 2 FROM cpu',
      'SELECT usage FROM (SELECT usage FROM cpu)',
    ]) {
      const res = await refusal({ db: 'db1', q })
      assert.equal(res.status, 400, `${q}: ${res.body}`)
      assert.match(res.body, /^\{"error":"(error in InfluxQL statement: |must provide only one)/, q)
    }
    assert.deepEqual(await rows('SELECT * FROM cpu'), before)
  })

  it('keeps quotes in values, names and regexes harmless', async () => {
    const before = await rows('SELECT * FROM cpu')
    const quiet = [
      `SELECT usage FROM cpu WHERE host = 'a\\' OR \\'1\\'=\\'1'`,
      `SELECT usage FROM cpu WHERE host =~ /a'\\); DROP TABLE cpu; --/`,
      `SELECT usage FROM "cpu\\"; DROP TABLE cpu; --"`,
      `SELECT "usage\\" FROM cpu; --" FROM cpu`,
      `SHOW TAG VALUES FROM cpu WITH KEY = "host\\"; DROP TABLE cpu"`,
    ]
    for (const q of quiet) assert.deepEqual(await rows(q), [], q)
    const broken = await refusal({
      db: 'db1',
      q: `SELECT usage FROM cpu WHERE host =~ /a'); DROP/`,
    })
    assert.equal(broken.status, 400)
    assert.deepEqual(await rows('SELECT * FROM cpu'), before)
    assert.deepEqual(
      await column('SELECT usage FROM cpu WHERE host =~ /(?i)^A$/', 'usage'),
      [1, 3, 6],
    )
  })

  it('checks read permission on the database the query names, and filters SHOW DATABASES', async () => {
    const operator = (path: string, init?: RequestInit) => app.fetch(path, init)
    const readDb1 = (
      await createResourceToken(operator, 'read-db1', [dbPermission(['db1'], ['read'])])
    ).token
    const describeDb1 = (
      await createResourceToken(operator, 'describe-db1', [
        dbPermission(['db1'], ['read', 'describe']),
      ])
    ).token
    const as = (token: string, params: Record<string, string>) =>
      app.fetchAs(token, `/api/v3/query_influxql?${new URLSearchParams(params)}`)

    assert.equal((await as(readDb1, { db: 'db1', q: 'SELECT count(usage) FROM cpu' })).status, 200)
    const refused: Array<Record<string, string>> = [
      { db: 'db2', q: 'SELECT usage FROM cpu' },
      { q: 'SELECT usage FROM db2..cpu' },
      { q: 'SHOW MEASUREMENTS ON db2' },
    ]
    for (const params of refused) {
      const res = await as(readDb1, params)
      assert.equal(res.status, 403)
      assert.equal(await res.text(), forbiddenBody)
    }
    const none = await as(readDb1, { q: 'SHOW DATABASES' })
    assert.equal(none.status, 403)
    const one = await as(describeDb1, { q: 'SHOW DATABASES' })
    assert.deepEqual(await one.json(), [{ 'iox::database': 'db1', deleted: false }])
    assert.equal(
      (await app.fetchAs(undefined, `/api/v3/query_influxql?db=db1&q=SHOW+DATABASES`)).status,
      401,
    )
  })
})
