import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { parquetRows } from './support/parquet.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

const lines = [
  'cpu,host=a,region=us usage=0.5,count=3i 1000000000000000155',
  'cpu,host=b,region=eu usage=1,count=4i 1000003600000000000',
  'cpu,host=a,region=us usage=2.5,count=5i 1000007200000000000',
].join('\n')

describe('SQL queries', () => {
  let app: TestServer
  before(async () => {
    app = await startTestServer()
    assert.equal((await app.write('q', lines)).status, 204)
  })
  after(() => app.close())

  const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    app.fetch(`/api/v3/query_sql?${new URLSearchParams(params)}`, { headers })

  it('answers json with columns sorted by name for SELECT * and exact nanoseconds', async () => {
    const res = await get({ db: 'q', q: 'SELECT * FROM cpu ORDER BY time LIMIT 1' })
    assert.equal(res.headers.get('content-type'), 'application/json')
    assert.equal(
      await res.text(),
      '[{"count":3,"host":"a","region":"us","time":"2001-09-09T01:46:40.000000155","usage":0.5}]',
    )
  })

  it('answers jsonl, csv and pretty', async () => {
    const q = 'SELECT host, usage FROM cpu ORDER BY time LIMIT 2'
    const jsonl = await get({ db: 'q', q, format: 'jsonl' })
    assert.equal(jsonl.headers.get('content-type'), 'application/jsonl')
    assert.equal(await jsonl.text(), '{"host":"a","usage":0.5}\n{"host":"b","usage":1.0}\n')

    const csv = await get({ db: 'q', q, format: 'csv' })
    assert.equal(await csv.text(), 'host,usage\na,0.5\nb,1.0\n')

    const pretty = await get({ db: 'q', q, format: 'pretty' })
    assert.equal(
      await pretty.text(),
      [
        '+------+-------+',
        '| host | usage |',
        '+------+-------+',
        '| a    | 0.5   |',
        '| b    | 1.0   |',
        '+------+-------+',
      ].join('\n'),
    )
  })

  it('chooses the format from Accept and refuses unknown types', async () => {
    const csv = await get({ db: 'q', q: 'SELECT host FROM cpu LIMIT 1' }, { accept: 'text/csv' })
    assert.equal(csv.headers.get('content-type'), 'text/csv')
    assert.equal(await csv.text(), 'host\na\n')

    const bad = await get({ db: 'q', q: 'SELECT 1' }, { accept: 'image/png' })
    assert.equal(bad.status, 400)
    assert.equal(await bad.text(), 'invalid mime type (image/png)')
  })

  it('returns a Parquet file for format=parquet', async () => {
    const q = 'SELECT host, usage FROM cpu ORDER BY time'
    const res = await get({ db: 'q', q, format: 'parquet' })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'application/vnd.apache.parquet')
    const bytes = Buffer.from(await res.arrayBuffer())
    assert.equal(bytes.subarray(0, 4).toString(), 'PAR1')
    assert.equal(bytes.subarray(-4).toString(), 'PAR1')
    assert.deepEqual(await parquetRows(bytes), [
      { host: 'a', usage: 0.5 },
      { host: 'b', usage: 1 },
      { host: 'a', usage: 2.5 },
    ])
  })

  it('takes POST bodies with $params', async () => {
    const res = await app.fetch('/api/v3/query_sql', {
      method: 'POST',
      body: JSON.stringify({
        db: 'q',
        q: 'SELECT count(*) AS n FROM cpu WHERE host = $host',
        params: { host: 'a' },
      }),
      headers: { 'content-type': 'application/json' },
    })
    assert.deepEqual(await res.json(), [{ n: 2 }])
  })

  it('names an unbound placeholder in a 400', async () => {
    const res = await get({ db: 'q', q: 'SELECT * FROM cpu WHERE host = $host' })
    assert.equal(res.status, 400)
    assert.match(await res.text(), /No value found for placeholder with name \$host/)
  })

  it('runs the InfluxDB 3 dialect: date_bin, now(), selectors, SHOW TABLES, SHOW COLUMNS', async () => {
    const binned = await app.sql(
      'q',
      "SELECT date_bin(INTERVAL '2 hours', time) AS bin, count(*) AS n FROM cpu GROUP BY 1 ORDER BY 1",
    )
    assert.deepEqual(binned, [
      { bin: '2001-09-09T00:00:00', n: 1 },
      { bin: '2001-09-09T02:00:00', n: 2 },
    ])

    const recent = await app.sql(
      'q',
      "SELECT count(*) AS n FROM cpu WHERE time > now() - INTERVAL '1 hour'",
    )
    assert.deepEqual(recent, [{ n: 0 }])

    const last = await app.sql('q', "SELECT selector_last(usage, time)['value'] AS v FROM cpu")
    assert.deepEqual(last, [{ v: 2.5 }])

    const tables = await app.sql('q', 'SHOW TABLES')
    assert.ok(
      tables.some(
        (t) => t.table_name === 'cpu' && t.table_schema === 'iox' && t.table_type === 'BASE TABLE',
      ),
    )
    assert.ok(!JSON.stringify(tables).includes('fluxgate_raw'))

    const columns = await app.sql('q', 'SHOW COLUMNS FROM cpu')
    const types: Record<string, unknown> = Object.fromEntries(
      columns.map((c) => [String(c.column_name), c.data_type]),
    )
    assert.deepEqual(types, {
      count: 'Int64',
      host: 'Dictionary(Int32, Utf8)',
      region: 'Dictionary(Int32, Utf8)',
      time: 'Timestamp(Nanosecond, None)',
      usage: 'Float64',
    })
  })

  it('answers an unknown database with 404 and bad SQL with 400', async () => {
    const unknown = await get({ db: 'nope', q: 'SELECT 1' })
    assert.equal(unknown.status, 404)
    assert.equal(await unknown.text(), '{"error":"query error: database not found: nope"}')

    const bad = await get({ db: 'q', q: 'SELEKT 1' })
    assert.equal(bad.status, 400)
    assert.ok(((await bad.json()) as { error: string }).error.length > 0)

    const noTable = await get({ db: 'q', q: 'SELECT * FROM missing' })
    assert.equal(noTable.status, 400)
  })

  it('answers missing parameters as the reference does', async () => {
    const bare = await app.fetch('/api/v3/query_sql')
    assert.equal(bare.status, 400)
    assert.equal(await bare.text(), "missing query parameters 'db' and 'q'")

    const noQ = await get({ db: 'q' })
    assert.equal(await noQ.text(), 'serde error: missing field `q`')
  })

  it('streams a large result without holding it whole', async () => {
    const body = Array.from(
      { length: 50_000 },
      (_, i) => `big,s=s${i % 100} v=${i}i ${i + 1}`,
    ).join('\n')
    assert.equal((await app.write('bigq', body)).status, 204)

    const res = await get({ db: 'bigq', q: 'SELECT * FROM big', format: 'jsonl' })
    const text = await res.text()
    assert.equal(text.split('\n').filter((l) => l !== '').length, 50_000)
  })
})
