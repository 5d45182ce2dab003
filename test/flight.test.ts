import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'

import { status } from '@grpc/grpc-js'
import { InfluxDBClient } from '@influxdata/influxdb3-client'

import { createResourceToken, dbPermission, withOperator } from './support/auth-requests.js'
import {
  FlightTestClient,
  bearer,
  decodeBatches,
  nanosOf,
  readAll,
  valuesOf,
} from './support/flight-client.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

const exactTime = 1700000000123456789n
const cpuLines = [
  `cpu,host=h1,region=eu usage=0.5,count=3i,big=18446744073709551615u,ok=true,note="x" ${exactTime}`,
  `cpu,host=h2,region=us usage=-1.25,count=-7i,big=0u,ok=false,note="é ✓" ${exactTime + 1n}`,
].join('\n')
const bigRows = 120_000
const recheckMs = 100

/** Writes `rows` points of `big` in db `a`, ten thousand lines per request. */
async function loadBig(app: TestServer, rows: number): Promise<void> {
  for (let start = 0; start < rows; start += 10_000) {
    const lines = Array.from(
      { length: Math.min(10_000, rows - start) },
      (_, i) => `big,host=h${(start + i) % 10} seq=${start + i}i ${exactTime + BigInt(start + i)}`,
    )
    assert.equal((await app.write('a', lines.join('\n'))).status, 204)
  }
}

/** Polls the server's log, from line `from` on, for a Flight call that ended with `code`. */
async function flightLogged(app: TestServer, code: string, from: number): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < 3000) {
    const done = app.logs
      .slice(from)
      .some((line) => line.includes('flight call completed') && line.includes(`"${code}"`))
    if (done) return Date.now() - started
    await sleep(10)
  }
  throw new Error(`no flight call ended with ${code}`)
}

function httpGet(
  app: TestServer,
  path: string,
  agent: Agent,
): Promise<{ status: number; reused: boolean }> {
  const headers = { authorization: `Bearer ${app.operatorToken}` }
  return new Promise((resolve, reject) => {
    const req = request(`${app.url}${path}`, { agent, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('Arrow Flight DoGet with API tokens', () => {
  let app: TestServer
  let flight: FlightTestClient
  let admin: InfluxDBClient
  let readA: string

  before(async () => {
    app = await startTestServer({}, { flightRecheckMs: recheckMs })
    assert.equal((await app.write('a', cpuLines)).status, 204)
    assert.equal((await app.write('b', 'cpu,host=h9 usage=9 1')).status, 204)
    await loadBig(app, bigRows)
    readA = (
      await createResourceToken(withOperator(app), 'read-a', [dbPermission(['a'], ['read'])])
    ).token
    flight = new FlightTestClient(app.url)
    admin = new InfluxDBClient({ host: app.url, token: app.operatorToken })
  })
  after(async () => {
    flight.close()
    await admin.close()
    await app.close()
  })

  it('answers SQL through the v3 client with the values written', async () => {
    const rows: Array<Record<string, unknown>> = []
    for await (const row of admin.query('SELECT * FROM cpu ORDER BY time', 'a')) rows.push(row)

    assert.equal(rows.length, 2)
    assert.deepEqual(
      rows.map(({ host, region, usage, count, ok, note }) => ({
        host,
        region,
        usage,
        count,
        ok,
        note,
      })),
      [
        { host: 'h1', region: 'eu', usage: 0.5, count: 3, ok: true, note: 'x' },
        { host: 'h2', region: 'us', usage: -1.25, count: -7, ok: false, note: 'é ✓' },
      ],
    )
  })

  it('keeps nanosecond times exact and gives each column its Arrow type', async () => {
    const ticket = {
      database: 'a',
      sql_query: 'SELECT * FROM cpu ORDER BY time',
      query_type: 'sql',
    }
    const { messages, error } = await flight.collect(ticket, bearer(app.operatorToken))
    assert.equal(error, undefined)
    const batches = decodeBatches(messages)

    assert.deepEqual(nanosOf(batches), [exactTime, exactTime + 1n])
    assert.deepEqual(valuesOf(batches, 'big'), [18446744073709551615n, 0n])
    assert.deepEqual(valuesOf(batches, 'count'), [3n, -7n])
    const types = Object.fromEntries(
      (batches[0]?.schema.fields ?? []).map((field) => [field.name, String(field.type)]),
    )
    assert.deepEqual(types, {
      big: 'Uint64',
      count: 'Int64',
      host: 'Utf8',
      note: 'Utf8',
      ok: 'Bool',
      region: 'Utf8',
      time: 'Timestamp<NANOSECOND>',
      usage: 'Float64',
    })
  })

  it('tells tags from fields for queryPoints()', async () => {
    const points = []
    for await (const point of admin.queryPoints('SELECT * FROM cpu ORDER BY time', 'a')) {
      points.push(point)
    }
    const first = points[0]
    assert.ok(first !== undefined)

    assert.deepEqual(first.getTagNames().sort(), ['host', 'region'])
    assert.deepEqual(first.getFieldNames().sort(), ['big', 'count', 'note', 'ok', 'usage'])
    assert.equal(first.getFieldType('usage'), 'float')
    assert.equal(first.getFieldType('count'), 'integer')
    assert.equal(first.getFieldType('big'), 'uinteger')
    assert.equal(first.getFieldType('ok'), 'boolean')
    assert.equal(first.getFieldType('note'), 'string')
    assert.equal(first.getTag('region'), 'eu')
  })

  it('passes query parameters and sends an empty result as a schema alone', async () => {
    const sql = 'SELECT host FROM cpu WHERE host = $host'
    const rows: Array<Record<string, unknown>> = []
    for await (const row of admin.query(sql, 'a', { params: { host: 'h2' } })) rows.push(row)
    assert.deepEqual(rows, [{ host: 'h2' }])

    const empty = await flight.collect(
      { database: 'a', sql_query: "SELECT * FROM cpu WHERE host = 'none'" },
      bearer(app.operatorToken),
    )
    assert.equal(empty.error, undefined)
    assert.equal(empty.messages.length, 1)
  })

  it('answers InfluxQL through the v3 client, SHOW statements included', async () => {
    const rows: Array<Record<string, unknown>> = []
    const influxql = { type: 'influxql' as const }
    const select = 'SELECT usage, host FROM cpu WHERE host = $host'
    for await (const row of admin.query(select, 'a', { ...influxql, params: { host: 'h1' } })) {
      rows.push(row)
    }
    const measurements: unknown[] = []
    for await (const row of admin.query('SHOW MEASUREMENTS', 'a', influxql)) {
      measurements.push(row.name)
    }

    assert.deepEqual(
      rows.map(({ usage, host }) => ({ usage, host })),
      [{ usage: 0.5, host: 'h1' }],
    )
    assert.deepEqual(measurements.sort(), ['big', 'cpu'])
  })

  it('refuses bad InfluxQL as INVALID_ARGUMENT', async () => {
    const { error } = await flight.collect(
      { database: 'a', sql_query: 'SELEKT usage FROM cpu', query_type: 'influxql' },
      bearer(app.operatorToken),
    )
    assert.equal(error?.code, status.INVALID_ARGUMENT)
  })

  it('AZ-1 a resource token reads its database and is refused another one', async () => {
    const client = new InfluxDBClient({ host: app.url, token: readA })
    try {
      const rows = []
      for await (const row of client.query('SELECT count(*) AS n FROM cpu', 'a')) rows.push(row)
      assert.deepEqual(rows, [{ n: 2n }])

      const other = await flight.collect({ database: 'b', sql_query: 'SELECT 1' }, bearer(readA))
      assert.equal(other.error?.code, status.PERMISSION_DENIED)
    } finally {
      await client.close()
    }
  })

  it('AZ-1 checks read access on the database an InfluxQL query names, not the ticket’s', async () => {
    const write = await app.fetch('/write?db=a&rp=secret', {
      method: 'POST',
      body: 'cpu,host=h7 usage=7 1',
    })
    assert.equal(write.status, 204)
    const ticket = {
      database: 'a',
      sql_query: 'SELECT usage FROM secret.cpu',
      query_type: 'influxql',
    }

    const refused = await flight.collect(ticket, bearer(readA))
    const allowed = await flight.collect(ticket, bearer(app.operatorToken))

    assert.equal(refused.error?.code, status.PERMISSION_DENIED)
    assert.deepEqual(refused.messages, [])
    assert.equal(allowed.error, undefined)
    assert.deepEqual(valuesOf(decodeBatches(allowed.messages), 'usage'), [7])
  })

  it('lists for SHOW DATABASES what the caller may describe, as HTTP does', async () => {
    const describeB = (
      await createResourceToken(withOperator(app), 'describe-b', [
        dbPermission(['b'], ['describe']),
      ])
    ).token
    const show = { database: 'a', sql_query: 'SHOW DATABASES', query_type: 'influxql' }

    const described = await flight.collect(show, bearer(describeB))
    const readOnly = await flight.collect(show, bearer(readA))

    assert.equal(described.error, undefined)
    assert.deepEqual(valuesOf(decodeBatches(described.messages), 'iox::database'), ['b'])
    assert.equal(readOnly.error?.code, status.PERMISSION_DENIED)
  })

  it('refuses a missing, unknown, lowercase-bearer or doubled credential as UNAUTHENTICATED', async () => {
    const ticket = { database: 'a', sql_query: 'SELECT 1' }
    const token = app.operatorToken ?? ''
    const refused = [
      {},
      bearer('apiv3_unknown'),
      { authorization: `bearer ${token}` },
      { authorization: `Bearer  ${token}` },
      { 'x-authorization': `Bearer ${token}` },
    ]
    for (const metadata of refused) {
      const { error } = await flight.collect(ticket, metadata)
      assert.equal(error?.code, status.UNAUTHENTICATED, JSON.stringify(Object.keys(metadata)))
      assert.equal(error.details, 'the request was not authenticated')
    }

    const upperKey = await flight.collect(ticket, { Authorization: `Bearer ${token}` })
    assert.equal(upperKey.error, undefined)
  })

  it('the v3 client with a bad token gets UNAUTHENTICATED', async () => {
    const client = new InfluxDBClient({ host: app.url, token: 'apiv3_not-a-token' })
    try {
      await assert.rejects(
        async () => {
          for await (const row of client.query('SELECT 1', 'a')) void row
        },
        (error: { code?: string }) => error.code === 'UNAUTHENTICATED',
      )
    } finally {
      await client.close()
    }
  })

  it('answers NOT_FOUND for a database that does not exist', async () => {
    const { error } = await flight.collect(
      { database: 'nowhere', sql_query: 'SELECT 1' },
      bearer(app.operatorToken),
    )
    assert.equal(error?.code, status.NOT_FOUND)
  })

  it('refuses a malformed ticket as INVALID_ARGUMENT', async () => {
    const tickets = [
      'not json',
      {},
      { database: 'a' },
      { database: 'a', sql_query: 'SELECT 1', query_type: 'flux' },
      { database: 'a', sql_query: 'SELECT 1', params: { x: [1] } },
    ]
    for (const ticket of tickets) {
      const { error } = await flight.collect(ticket, bearer(app.operatorToken))
      assert.equal(error?.code, status.INVALID_ARGUMENT, JSON.stringify(ticket))
    }
  })

  it('AZ-9 refuses bad SQL and every write as INVALID_ARGUMENT, changing nothing', async () => {
    const file = join(tmpdir(), `fluxgate-flight-copy-${process.pid}.csv`)
    const statements = [
      'SELEC 1',
      'DELETE FROM cpu',
      'DROP TABLE cpu',
      "INSERT INTO cpu (time, host) VALUES (now(), 'x')",
      `COPY cpu TO '${file}'`,
      'SET threads = 1',
    ]
    for (const sql of statements) {
      const { error } = await flight.collect(
        { database: 'a', sql_query: sql },
        bearer(app.operatorToken),
      )
      assert.equal(error?.code, status.INVALID_ARGUMENT, sql)
    }

    assert.deepEqual(await app.sql('a', 'SELECT count(*) AS n FROM cpu'), [{ n: 2 }])
    assert.equal(existsSync(file), false)
  })

  it('serves HTTP on the same port, keep-alive included, beside Flight', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const first = await httpGet(app, '/health', agent)
      const rows = []
      for await (const row of admin.query('SELECT count(*) AS n FROM cpu', 'a')) rows.push(row)
      const second = await httpGet(app, '/health', agent)

      assert.deepEqual([first.status, second.status], [200, 200])
      assert.equal(second.reused, true)
      assert.deepEqual(rows, [{ n: 2n }])
    } finally {
      agent.destroy()
    }
  })

  it('streams a large result whole and in order', async () => {
    const { messages, error } = await flight.collect(
      { database: 'a', sql_query: 'SELECT time, seq FROM big ORDER BY time' },
      bearer(readA),
    )
    assert.equal(error, undefined)
    const batches = decodeBatches(messages)
    const times = nanosOf(batches)

    assert.equal(times.length, bigRows)
    assert.ok(batches.length > 1)
    assert.ok(times.every((time, i) => time === exactTime + BigInt(i)))
  })

  it('SE-4 ends a running stream with UNAUTHENTICATED once its token is deleted', async () => {
    const token = (
      await createResourceToken(withOperator(app), 'doomed', [dbPermission(['a'], ['read'])])
    ).token
    const stream = flight.doGet({ database: 'a', sql_query: 'SELECT * FROM big' }, bearer(token))
    const outcome = readAll(stream)
    await new Promise((resolve) => stream.once('data', resolve))
    stream.pause()
    const logged = app.logs.length

    const deleted = await app.fetch('/api/v3/configure/token?token_name=doomed', {
      method: 'DELETE',
    })
    assert.equal(deleted.status, 200, await deleted.text())
    // The server ends the call while the client still reads nothing.
    assert.ok((await flightLogged(app, 'UNAUTHENTICATED', logged)) < recheckMs * 5)
    stream.resume()

    const { messages, error } = await outcome
    assert.equal(error?.code, status.UNAUTHENTICATED)
    const rows = decodeBatches(messages).reduce((sum, batch) => sum + batch.numRows, 0)
    assert.ok(rows < bigRows, `${rows} rows`)
  })

  it('LG-1 logs each call without any credential', () => {
    const text = app.logs.join('')
    assert.ok(text.includes('"method":"DoGet"'))
    assert.equal(text.includes(readA), false)
    assert.equal(text.includes(app.operatorToken ?? 'missing'), false)
  })
})

describe('Arrow Flight DoGet cancelled by the client', () => {
  it('stops the query and leaves the server free to stop at once', async () => {
    const app = await startTestServer()
    const flight = new FlightTestClient(app.url)
    try {
      await loadBig(app, 60_000)
      const stream = flight.doGet(
        { database: 'a', sql_query: 'SELECT * FROM big' },
        bearer(app.operatorToken),
      )
      await new Promise((resolve) => stream.once('data', resolve))
      stream.on('error', () => undefined)
      stream.cancel()
      await flightLogged(app, 'CANCELLED', 0)

      assert.equal((await app.fetch('/health')).status, 200)
    } finally {
      flight.close()
      const started = Date.now()
      await app.close()
      assert.ok(Date.now() - started < 1500, `close took ${Date.now() - started} ms`)
    }
  })

  it('ends a stream still running when the server stops', async () => {
    const app = await startTestServer()
    const flight = new FlightTestClient(app.url)
    try {
      await loadBig(app, 60_000)
      const stream = flight.doGet(
        { database: 'a', sql_query: 'SELECT * FROM big' },
        bearer(app.operatorToken),
      )
      const outcome = readAll(stream)
      await new Promise((resolve) => stream.once('data', resolve))
      stream.pause()

      const closing = app.close()
      stream.resume()
      await closing
      const { error } = await outcome
      assert.equal(error?.code, status.UNAVAILABLE)
    } finally {
      flight.close()
    }
  })
})
