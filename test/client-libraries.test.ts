import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { InfluxDB, Point as V2Point } from '@influxdata/influxdb-client'
import { HttpError, InfluxDBClient, Point } from '@influxdata/influxdb3-client'
import type { PointValues } from '@influxdata/influxdb3-client'

import { createResourceToken, dbPermission, withOperator } from './support/auth-requests.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'
import { bootstrapAdmin, callAs, goodPassword, signIn } from './support/user-auth.js'

const memberRole = 3

async function rowsOf(
  client: InfluxDBClient,
  query: string,
  db: string,
  type: 'sql' | 'influxql' = 'sql',
): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = []
  for await (const row of client.query(query, db, { type })) rows.push(row)
  return rows
}

/** What `queryPoints` gives, point by point: measurement, tags, typed fields and time. */
async function pointsOf(
  client: InfluxDBClient,
  query: string,
  db: string,
  type: 'sql' | 'influxql' = 'sql',
) {
  const points: Array<ReturnType<typeof describePoint>> = []
  for await (const point of client.queryPoints(query, db, { type })) {
    points.push(describePoint(point))
  }
  return points
}

function describePoint(point: PointValues) {
  const names = (list: string[]) => [...list].sort()
  return {
    measurement: point.getMeasurement(),
    tags: Object.fromEntries(names(point.getTagNames()).map((name) => [name, point.getTag(name)])),
    fields: Object.fromEntries(
      names(point.getFieldNames()).map((name) => [
        name,
        [point.getFieldType(name), point.getField(name)],
      ]),
    ),
    timestamp: point.getTimestamp(),
  }
}

describe('@influxdata/influxdb3-client against Fluxgate', () => {
  let app: TestServer
  let client: InfluxDBClient

  before(async () => {
    app = await startTestServer()
    client = new InfluxDBClient({ host: app.url, token: app.operatorToken })
  })
  after(async () => {
    await client.close()
    await app.close()
  })

  it('writes line protocol and Points with an apiv3_ token, nanoseconds intact', async () => {
    await client.write('weather,city=Oslo temp=-3.5,humid=81i 1700000000123456789', 'lib')
    const point = Point.measurement('weather')
      .setTag('city', 'Lima')
      .setFloatField('temp', 19.25)
      .setIntegerField('humid', 77)
      .setTimestamp(new Date('2023-11-14T22:13:21.000Z'))
    await client.write(point, 'lib')

    const rows = await rowsOf(client, 'SELECT city, temp, humid FROM weather ORDER BY time', 'lib')
    assert.deepEqual(rows, [
      { city: 'Oslo', temp: -3.5, humid: 81 },
      { city: 'Lima', temp: 19.25, humid: 77 },
    ])
    assert.deepEqual(
      await app.sql(
        'lib',
        "SELECT CAST(epoch_ns(time) AS VARCHAR) AS ns FROM weather WHERE city = 'Oslo'",
      ),
      [{ ns: '1700000000123456789' }],
    )
  })

  it('queries with InfluxQL', async () => {
    await client.write('rain,city=Oslo mm=4.5 1700000000000000000', 'lib')

    const rows = await rowsOf(client, 'SELECT mm, city FROM rain', 'lib', 'influxql')
    assert.deepEqual(
      rows.map(({ mm, city }) => ({ mm, city })),
      [{ mm: 4.5, city: 'Oslo' }],
    )
  })

  it('a read-only token may query but its write is refused with 403', async () => {
    await client.write('ro m=1 1', 'lib')
    const readOnly = await createResourceToken(withOperator(app), 'lib-reader', [
      dbPermission(['lib'], ['read']),
    ])
    const reader = new InfluxDBClient({ host: app.url, token: readOnly.token })
    try {
      await assert.rejects(
        reader.write('ro m=2 2', 'lib'),
        (error: unknown) => error instanceof HttpError && error.statusCode === 403,
      )
      assert.deepEqual(await rowsOf(reader, 'SELECT m FROM ro', 'lib'), [{ m: 1 }])
    } finally {
      await reader.close()
    }
  })

  it('@influxdata/influxdb-client (v2) writes with Token auth', async () => {
    const writeApi = new InfluxDB({ url: app.url, token: app.operatorToken }).getWriteApi(
      'any-org',
      'v2lib',
      'ns',
    )
    writeApi.writeRecord('power,site=a watts=120.5 1700000000000000001')
    writeApi.writePoint(
      new V2Point('power')
        .tag('site', 'b')
        .floatField('watts', 99)
        .timestamp('1700000000000000002'),
    )
    await writeApi.close()

    assert.deepEqual(
      await app.sql(
        'v2lib',
        'SELECT site, watts, CAST(epoch_ns(time) AS VARCHAR) AS ns FROM power ORDER BY time',
      ),
      [
        { site: 'a', watts: 120.5, ns: '1700000000000000001' },
        { site: 'b', watts: 99, ns: '1700000000000000002' },
      ],
    )
  })
})

describe('@influxdata/influxdb3-client with a signed-in user', () => {
  let app: TestServer

  before(async () => {
    app = await startTestServer({ fresh: true, userAuthType: 'basic' })
    const { operatorToken } = await bootstrapAdmin(app, 'ada')
    const res = await callAs(app, operatorToken, 'POST', '/api/v3/users', {
      username: 'mia',
      password: goodPassword,
      roleIds: [memberRole],
    })
    assert.equal(res.status, 201, await res.text())
  })
  after(() => app.close())

  it("writes and queries (SQL and InfluxQL) with the user's access token", async () => {
    const { token } = await signIn(app, 'mia')
    const client = new InfluxDBClient({ host: app.url, token, authScheme: 'Bearer' })
    try {
      await client.write('steps,who=mia count=4200i 1700000000000000000', 'mine')

      assert.deepEqual(await rowsOf(client, 'SELECT who, count FROM steps', 'mine'), [
        { who: 'mia', count: 4200 },
      ])
      const influxql = await rowsOf(client, 'SELECT count FROM steps', 'mine', 'influxql')
      assert.deepEqual(
        influxql.map(({ count }) => count),
        [4200],
      )
    } finally {
      await client.close()
    }
  })

  it("reads Points (SQL and InfluxQL) with the user's access token", async () => {
    const { token } = await signIn(app, 'mia')
    const client = new InfluxDBClient({ host: app.url, token, authScheme: 'Bearer' })
    try {
      await client.write('sleep,who=mia,kind=deep hours=1.5,cycles=4i 1700000000000000000', 'pts')
      const sleep = {
        tags: { kind: 'deep', who: 'mia' },
        fields: { cycles: ['integer', 4], hours: ['float', 1.5] },
        // The client reads Arrow timestamps as milliseconds.
        timestamp: 1_700_000_000_000,
      }

      // SQL names no measurement; InfluxQL answers name it in iox::measurement.
      assert.deepEqual(await pointsOf(client, 'SELECT * FROM sleep', 'pts'), [
        { measurement: undefined, ...sleep },
      ])
      assert.deepEqual(await pointsOf(client, 'SELECT * FROM sleep', 'pts', 'influxql'), [
        { measurement: 'sleep', ...sleep },
      ])
      const chosen = 'SELECT hours, who FROM sleep'
      assert.deepEqual(await pointsOf(client, chosen, 'pts', 'influxql'), [
        {
          measurement: 'sleep',
          tags: { who: 'mia' },
          fields: { hours: ['float', 1.5] },
          timestamp: 1_700_000_000_000,
        },
      ])
    } finally {
      await client.close()
    }
  })
})
