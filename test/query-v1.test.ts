import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { createResourceToken, dbPermission, unauthenticatedBody } from './support/auth-requests.js'
import { at, fixtureClock, fixtureLines, rfc, t0 } from './support/influxql-fixture.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

const refusedBody = '{"error":"unauthorized access"}'

type V1Body = { results: Array<{ series?: Array<{ values: unknown[] }> }> }

describe('InfluxDB 1.x /query', () => {
  let app: TestServer

  before(async () => {
    app = await startTestServer({}, { clock: fixtureClock() })
    assert.equal((await app.write('db1', fixtureLines)).status, 204)
    assert.equal((await app.write('db2', `cpu,host=z usage=9 ${at(0)}`)).status, 204)
  })
  after(() => app.close())

  const query = (params: Record<string, string>, init: RequestInit = {}) =>
    app.fetch(`/query?${new URLSearchParams(params)}`, init)
  const answer = async (params: Record<string, string>, init?: RequestInit) => {
    const res = await query(params, init)
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() }
  }
  const json = async (params: Record<string, string>) => {
    const res = await answer(params)
    assert.equal(res.status, 200, res.body)
    return JSON.parse(res.body) as unknown
  }

  it('answers a SELECT as one series with RFC 3339 times', async () => {
    const res = await answer({ db: 'db1', q: "SELECT usage, host FROM cpu WHERE host = 'b'" })
    assert.equal(res.type, 'application/json')
    assert.equal(
      res.body,
      JSON.stringify({
        results: [
          {
            statement_id: 0,
            series: [
              {
                name: 'cpu',
                columns: ['time', 'usage', 'host'],
                values: [
                  [rfc(1), 2, 'b'],
                  [rfc(4), 4, 'b'],
                ],
              },
            ],
          },
        ],
      }),
    )
  })

  it('reads a GROUP BY result as one series per tag set', async () => {
    const q = `SELECT mean(usage) FROM cpu WHERE time >= ${at(0)} AND time < ${at(4)} GROUP BY time(2m), host fill(none)`
    assert.deepEqual(await json({ db: 'db1', q }), {
      results: [
        {
          statement_id: 0,
          series: [
            {
              name: 'cpu',
              tags: { host: 'a' },
              columns: ['time', 'mean'],
              values: [
                [rfc(0), 1],
                [rfc(2), 3],
              ],
            },
            { name: 'cpu', tags: { host: 'b' }, columns: ['time', 'mean'], values: [[rfc(0), 2]] },
          ],
        },
      ],
    })
  })

  it('gives integer times in the epoch unit', async () => {
    const q = "SELECT usage FROM cpu WHERE host = 'b'"
    const times = async (epoch: string) => {
      const body = (await json({ db: 'db1', q, epoch })) as {
        results: Array<{ series: Array<{ values: Array<[number, number]> }> }>
      }
      return body.results[0]?.series[0]?.values.map((row) => row[0])
    }
    const first = Number(t0 / 1_000_000_000n) + 60
    assert.deepEqual(await times('s'), [first, first + 180])
    assert.deepEqual(await times('ms'), [first * 1000, (first + 180) * 1000])
    assert.deepEqual(await times('m'), [first / 60, first / 60 + 3])
    assert.deepEqual(await times('h'), [Math.floor(first / 3600), Math.floor(first / 3600)])
    const ns = await answer({ db: 'db1', q, epoch: 'ns' })
    assert.match(ns.body, new RegExp(`\\[${at(1)},2\\]`))
    const bad = await answer({ db: 'db1', q, epoch: 'fortnight' })
    assert.equal(bad.status, 400)
  })

  it('streams chunks of chunk_size values, all but the last partial', async () => {
    const res = await answer({
      db: 'db1',
      q: 'SELECT usage FROM cpu',
      chunked: 'true',
      chunk_size: '2',
      epoch: 's',
    })
    const chunks = res.body
      .trimEnd()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            results: Array<{
              partial?: boolean
              series: Array<{ values: unknown[]; partial?: boolean }>
            }>
          },
      )
    assert.deepEqual(
      chunks.map((c) => c.results[0]?.series[0]?.values.length),
      [2, 2, 1],
    )
    assert.deepEqual(
      chunks.map((c) => c.results[0]?.partial ?? false),
      [true, true, false],
    )
    assert.deepEqual(
      chunks.map((c) => c.results[0]?.series[0]?.partial ?? false),
      [true, true, false],
    )
  })

  it('answers CSV for Accept application/csv and text/csv, with integer times', async () => {
    for (const accept of ['application/csv', 'text/csv']) {
      const res = await answer(
        {
          db: 'db1',
          q: 'SELECT usage FROM cpu WHERE host = $h GROUP BY host',
          params: '{"h":"b"}',
        },
        { headers: { accept } },
      )
      assert.equal(res.type, 'application/csv')
      assert.equal(res.body, `name,tags,time,usage\ncpu,host=b,${at(1)},2\ncpu,host=b,${at(4)},4\n`)
    }
    const html = await answer(
      { db: 'db1', q: 'SHOW DATABASES' },
      { headers: { accept: 'text/html' } },
    )
    assert.deepEqual([html.status, html.body], [400, '{"error":"invalid mime type (text/html)"}'])
  })

  it('indents the answer with pretty=true', async () => {
    const res = await answer({ db: 'db1', q: 'SHOW MEASUREMENTS', pretty: 'true' })
    assert.match(res.body, /^\{\n {4}"results": \[\n {8}\{\n {12}"statement_id": 0,\n/)
  })

  it('reads epoch, chunked, chunk_size and params from a form body as from the URL', async () => {
    const fields = {
      db: 'db1',
      q: 'SELECT usage FROM cpu WHERE host = $h',
      params: '{"h":"a"}',
      epoch: 's',
      chunked: 'true',
      chunk_size: '2',
    }
    const form = await answer(
      {},
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams(fields).toString(),
      },
    )
    const fromUrl = await answer(fields)

    assert.equal(form.status, 200, form.body)
    assert.equal(form.body, fromUrl.body)
    const first = Number(t0 / 1_000_000_000n)
    assert.deepEqual(
      form.body
        .trimEnd()
        .split('\n')
        .map((line) =>
          JSON.stringify((JSON.parse(line) as V1Body).results[0]?.series?.[0]?.values),
        ),
      [
        JSON.stringify([
          [first, 1],
          [first + 180, 3],
        ]),
        JSON.stringify([[first + 300, 6]]),
      ],
    )
    const csv = await answer(
      {},
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/csv' },
        body: new URLSearchParams({
          db: 'db1',
          q: "SELECT usage FROM cpu WHERE host = 'b'",
        }).toString(),
      },
    )
    assert.equal(csv.body, `name,tags,time,usage\ncpu,,${at(1)},2\ncpu,,${at(4)},4\n`)
  })

  it('takes form bodies and raw InfluxQL bodies; the query database wins over db', async () => {
    const form = await answer(
      {},
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ db: 'db1', q: 'SELECT count(usage) FROM cpu' }).toString(),
      },
    )
    assert.match(
      form.body,
      /"columns":\["time","count"\],"values":\[\["1970-01-01T00:00:00Z",5\]\]/,
    )
    const raw = await answer(
      { db: 'nope', rp: 'autogen' },
      {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.influxql' },
        body: 'SELECT count(usage) FROM db1.autogen.cpu',
      },
    )
    assert.match(raw.body, /"values":\[\["1970-01-01T00:00:00Z",5\]\]/)
    const other = await answer(
      { db: 'db1' },
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'SHOW DATABASES' },
    )
    assert.deepEqual(
      [other.status, other.body],
      [400, '{"error":"invalid mime type (text/plain)"}'],
    )
  })

  it('answers SHOW statements in the 1.x shapes', async () => {
    assert.deepEqual(await json({ q: 'SHOW DATABASES' }), {
      results: [
        {
          statement_id: 0,
          series: [
            { name: 'databases', columns: ['name'], values: [['_internal'], ['db1'], ['db2']] },
          ],
        },
      ],
    })
    assert.deepEqual(await json({ db: 'db1', q: 'SHOW RETENTION POLICIES' }), {
      results: [
        {
          statement_id: 0,
          series: [
            {
              name: 'retention_policies',
              columns: ['name', 'duration', 'default'],
              values: [['db1', '0s', true]],
            },
          ],
        },
      ],
    })
    assert.deepEqual(await json({ db: 'db1', q: 'SHOW MEASUREMENTS' }), {
      results: [
        {
          statement_id: 0,
          series: [
            {
              name: 'measurements',
              columns: ['name'],
              values: [['cpu'], ['future'], ['odd'], ['weather']],
            },
          ],
        },
      ],
    })
    assert.deepEqual(await json({ db: 'db1', q: 'SHOW TAG KEYS' }), {
      results: [
        {
          statement_id: 0,
          series: [
            { name: 'cpu', columns: ['tagKey'], values: [['host'], ['region']] },
            { name: 'weather', columns: ['tagKey'], values: [['city']] },
          ],
        },
      ],
    })
    assert.deepEqual(await json({ db: 'db1', q: 'SHOW TAG VALUES WITH KEY = "city"' }), {
      results: [
        {
          statement_id: 0,
          series: [
            {
              name: 'weather',
              columns: ['key', 'value'],
              values: [
                ['city', 'oslo'],
                ['city', 'paris'],
              ],
            },
          ],
        },
      ],
    })
    assert.deepEqual(await json({ db: 'db1', q: 'SHOW SERIES FROM weather' }), {
      results: [
        {
          statement_id: 0,
          series: [{ columns: ['key'], values: [['weather,city=oslo'], ['weather,city=paris']] }],
        },
      ],
    })
    assert.deepEqual(await json({ db: 'db1', q: 'SHOW FIELD KEYS FROM future' }), {
      results: [
        {
          statement_id: 0,
          series: [
            { name: 'future', columns: ['fieldKey', 'fieldType'], values: [['v', 'float']] },
          ],
        },
      ],
    })
    assert.deepEqual(await json({ db: 'db1', q: 'SELECT usage FROM nothing' }), {
      results: [{ statement_id: 0 }],
    })
  })

  it('reports statement errors inside a 200 answer', async () => {
    const statementError = async (params: Record<string, string>) => {
      const res = await answer(params)
      assert.equal(res.status, 200, res.body)
      return (JSON.parse(res.body) as { results: Array<{ error: string }> }).results[0]?.error
    }
    assert.equal(
      await statementError({ db: 'foo', q: 'SELECT usage FROM cpu' }),
      'Cannot retrieve database: External error: database not found: foo',
    )
    assert.equal(
      await statementError({ q: 'SHOW RETENTION POLICIES ON frodo' }),
      'datafusion error: Error during planning: database not found: frodo',
    )
    assert.match(
      (await statementError({ db: 'db1', q: 'SELECT usage, mean(usage) FROM cpu' })) ?? '',
      /mixing aggregate/,
    )
    assert.match(
      (await statementError({ db: 'db1', q: 'SELECT usage FROM cpu WHERE host = $h' })) ?? '',
      /Bind parameter '\$h'/,
    )
  })

  it('answers request errors as {"error":…} with 400', async () => {
    const errors: Array<[Record<string, string>, RequestInit | undefined, string]> = [
      [{ db: 'db1' }, undefined, 'expected a query to be provided in the query string or body'],
      [{}, undefined, "missing query parameters 'db' and 'q'"],
      [
        { q: 'SELECT usage FROM cpu' },
        undefined,
        "must specify a 'db' parameter, or provide the database in the InfluxQL query",
      ],
      [
        { db: 'db1', q: 'SELECT usage FROM cpu; DROP MEASUREMENT cpu' },
        undefined,
        'must provide only one InfluxQl statement per query',
      ],
      [
        { db: 'db1', q: 'DROP MEASUREMENT cpu' },
        undefined,
        'error in InfluxQL statement: parsing error: DROP statements are not supported, expected SELECT or SHOW at pos 0',
      ],
    ]
    for (const [params, init, message] of errors) {
      const res = await answer(params, init)
      assert.deepEqual([res.status, res.body], [400, JSON.stringify({ error: message })], message)
    }
  })

  it('AZ-5 refuses a token without read with the opaque 401, and filters SHOW DATABASES', async () => {
    const operator = (path: string, init?: RequestInit) => app.fetch(path, init)
    const readDb1 = (
      await createResourceToken(operator, 'v1-read-db1', [dbPermission(['db1'], ['read'])])
    ).token
    const describeDb1 = (
      await createResourceToken(operator, 'v1-describe-db1', [
        dbPermission(['db1'], ['read', 'describe']),
      ])
    ).token
    const as = async (token: string | undefined, params: Record<string, string>) => {
      const res = await app.fetchAs(token, `/query?${new URLSearchParams(params)}`)
      return { status: res.status, body: await res.text() }
    }

    assert.equal((await as(readDb1, { db: 'db1', q: 'SELECT count(usage) FROM cpu' })).status, 200)
    const refused: Array<Record<string, string>> = [
      { db: 'db2', q: 'SELECT usage FROM cpu' },
      { db: 'db1', q: 'SELECT usage FROM db2..cpu' },
      { q: 'SHOW DATABASES' },
    ]
    for (const params of refused) {
      assert.deepEqual(await as(readDb1, params), { status: 401, body: refusedBody })
    }
    assert.deepEqual(await as(undefined, { db: 'db1', q: 'SHOW DATABASES' }), {
      status: 401,
      body: unauthenticatedBody,
    })
    assert.deepEqual(JSON.parse((await as(describeDb1, { q: 'SHOW DATABASES' })).body), {
      results: [
        { statement_id: 0, series: [{ name: 'databases', columns: ['name'], values: [['db1']] }] },
      ],
    })

    // 1.x clients send the token as `p`.
    const viaP = await app.fetchAs(
      undefined,
      `/query?${new URLSearchParams({ db: 'db1', q: 'SHOW MEASUREMENTS ON db1', u: 'x', p: readDb1 })}`,
    )
    assert.equal(viaP.status, 200)
    // The client sees the opaque 401; the audit trail keeps the real outcome.
    const trail = await app.sql(
      '_internal',
      "SELECT outcome, actor_name FROM system.audit_log WHERE action = 'request_denied' AND target = 'GET /query'",
    )
    assert.ok(trail.some((row) => row.outcome === 'denied' && row.actor_name === 'v1-read-db1'))
  })

  it('AZ-9 leaves the data unchanged whatever the query tries', async () => {
    const before = await answer({ db: 'db1', q: 'SELECT * FROM cpu' })
    for (const q of [
      'DELETE FROM cpu',
      'DROP SERIES FROM cpu',
      "SELECT usage FROM cpu WHERE host = 'a'; DROP DATABASE db1",
      `SELECT usage FROM "cpu\\"; DROP TABLE cpu; --"`,
      `SELECT usage FROM cpu WHERE host = '\\'; DROP TABLE cpu; --'`,
    ]) {
      const res = await answer({ db: 'db1', q })
      assert.ok(res.status === 200 || res.status === 400, `${q}: ${res.status}`)
      assert.ok(!res.body.includes('"values"'), `${q}: ${res.body}`)
    }
    assert.deepEqual(await answer({ db: 'db1', q: 'SELECT * FROM cpu' }), before)
  })
})
