import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { status } from '@grpc/grpc-js'
import { InfluxDBClient } from '@influxdata/influxdb3-client'

import { frozenClock } from '../src/shared/index.js'
import { FlightTestClient, bearer, readAll } from './support/flight-client.js'
import { oauthServerFlags, startTestIdentityProvider } from './support/oidc-provider.js'
import type { TestIdentityProvider } from './support/oidc-provider.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'
import { bootstrapAdmin, callAs, createUser, goodPassword, signIn } from './support/user-auth.js'

const auditorRole = 2
const memberRole = 3
const recheckMs = 100
const countCpu = { database: 'a', sql_query: 'SELECT count(*) AS n FROM cpu' }

async function queryCount(url: string, token: string): Promise<unknown[]> {
  const client = new InfluxDBClient({ host: url, token })
  try {
    const rows: unknown[] = []
    for await (const row of client.query(countCpu.sql_query, countCpu.database)) rows.push(row)
    return rows
  } finally {
    await client.close()
  }
}

/** Enough rows that a stream is still running when its client stops reading. */
async function loadRows(app: TestServer, token: string, rows: number): Promise<void> {
  for (let start = 0; start < rows; start += 10_000) {
    const lines = Array.from(
      { length: 10_000 },
      (_, i) => `big,host=h${i % 10} seq=${start + i}i ${start + i + 1}`,
    )
    const res = await app.fetchAs(token, '/api/v3/write_lp?db=a', {
      method: 'POST',
      body: lines.join('\n'),
    })
    assert.equal(res.status, 204)
  }
}

describe('Arrow Flight DoGet for signed-in users', () => {
  let app: TestServer
  let operatorToken: string
  let flight: FlightTestClient

  before(async () => {
    app = await startTestServer(
      { fresh: true, userAuthType: 'basic' },
      { flightRecheckMs: recheckMs },
    )
    operatorToken = (await bootstrapAdmin(app, 'ada')).operatorToken
    const write = await app.fetchAs(operatorToken, '/api/v3/write_lp?db=a', {
      method: 'POST',
      body: 'cpu,host=h1 usage=1 1\ncpu,host=h2 usage=2 2',
    })
    assert.equal(write.status, 204)
    await loadRows(app, operatorToken, 100_000)
    await createUser(
      app,
      { username: 'mia', password: goodPassword, roleIds: [memberRole] },
      operatorToken,
    )
    await createUser(app, { username: 'noel', password: goodPassword, roleIds: [] }, operatorToken)
    flight = new FlightTestClient(app.url)
  })
  after(async () => {
    flight.close()
    await app.close()
  })

  it("AZ-1 a user's access token queries through the v3 client within the user's roles", async () => {
    const mia = await signIn(app, 'mia')
    const noel = await signIn(app, 'noel')

    assert.deepEqual(await queryCount(app.url, mia.token), [{ n: 2n }])
    const refused = await flight.collect(countCpu, bearer(noel.token))
    assert.equal(refused.error?.code, status.PERMISSION_DENIED)
  })

  it('SE-4 signing out ends a running stream with UNAUTHENTICATED', async () => {
    const mia = await signIn(app, 'mia')
    const stream = flight.doGet(
      { database: 'a', sql_query: 'SELECT * FROM big' },
      bearer(mia.token),
    )
    const outcome = readAll(stream)
    await new Promise((resolve) => stream.once('data', resolve))
    stream.pause()

    const logout = await callAs(app, mia.token, 'POST', '/api/v3/authorize/logout')
    assert.equal(logout.status, 204)
    await new Promise((resolve) => setTimeout(resolve, recheckMs * 3))
    stream.resume()

    assert.equal((await outcome).error?.code, status.UNAUTHENTICATED)
    assert.equal(
      (await flight.collect(countCpu, bearer(mia.token))).error?.code,
      status.UNAUTHENTICATED,
    )
  })

  it('SE-4 deleting the user ends a running stream with UNAUTHENTICATED', async () => {
    const olgaUser = { username: 'olga', password: goodPassword, roleIds: [auditorRole] }
    const id = await createUser(app, olgaUser, operatorToken)
    const olga = await signIn(app, 'olga')
    const stream = flight.doGet(
      { database: 'a', sql_query: 'SELECT * FROM big' },
      bearer(olga.token),
    )
    const outcome = readAll(stream)
    await new Promise((resolve) => stream.once('data', resolve))
    stream.pause()

    const deleted = await callAs(app, operatorToken, 'DELETE', `/api/v3/users/${id}`)
    assert.ok(deleted.status < 300, `status ${deleted.status}`)
    await new Promise((resolve) => setTimeout(resolve, recheckMs * 3))
    stream.resume()

    assert.equal((await outcome).error?.code, status.UNAUTHENTICATED)
  })
})

describe('Arrow Flight DoGet with identity-provider tokens', () => {
  const clock = frozenClock(new Date().toISOString())
  let idp: TestIdentityProvider
  let app: TestServer

  before(async () => {
    idp = await startTestIdentityProvider({ accounts: [{ sub: 'alice' }, { sub: 'carol' }] })
    app = await startTestServer(oauthServerFlags(idp, 'basic,oauth'), { clock })
    assert.equal((await app.write('a', 'cpu,host=h1 usage=1 1\ncpu,host=h2 usage=2 2')).status, 204)
    await createUser(app, { oauthId: 'alice', roleIds: [memberRole] })
  })
  after(async () => {
    await app.close()
    await idp.close()
  })

  it('OA-5 a provider access token queries as the user with that sub', async () => {
    const alice = await idp.mintAccessToken('alice')

    assert.deepEqual(await queryCount(app.url, alice), [{ n: 2n }])
  })

  it('JWT-4 a provider token for no user here is UNAUTHENTICATED', async () => {
    const flight = new FlightTestClient(app.url)
    try {
      const carol = await idp.mintAccessToken('carol')
      const { error } = await flight.collect(countCpu, bearer(carol))
      assert.equal(error?.code, status.UNAUTHENTICATED)
    } finally {
      flight.close()
    }
  })
})
