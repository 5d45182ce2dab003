import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'

import { createResourceToken, dbPermission } from './support/auth-requests.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'
import { bootstrapAdmin, signIn } from './support/user-auth.js'

const runFile = promisify(execFile)

interface ShellSeries {
  name: string
  tags?: Record<string, string>
  columns: string[]
  values: unknown[][]
}

/**
 * The InfluxDB 1.x shell (`influx`, Debian's influxdb-client package), as 1.x users run it:
 * the token goes in as the password, which the shell sends as `p=` to `/query`.
 */
async function influx(app: TestServer, password: string, query: string, database = 'shell') {
  const { port } = new URL(app.url)
  const args = ['-host', '127.0.0.1', '-port', port, '-username', 'anyone', '-password', password]
  args.push('-database', database, '-format', 'json', '-execute', query)
  try {
    const { stdout } = await runFile('influx', args, { encoding: 'utf8', timeout: 20_000 })
    return { ok: true as const, output: stdout }
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string }
    return { ok: false as const, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` }
  }
}

async function seriesOf(app: TestServer, password: string, query: string) {
  const ran = await influx(app, password, query)
  assert.ok(ran.ok, ran.output)
  // The shell asks for chunked answers and prints each chunk as a result of its own.
  const body = JSON.parse(ran.output) as { results: Array<{ series?: ShellSeries[] }> }
  return body.results.flatMap((result) => result.series ?? [])
}

describe('the InfluxDB 1.x shell, with a token as password', () => {
  let app: TestServer
  let operator = ''

  before(async () => {
    app = await startTestServer({ userAuthType: 'basic', fresh: true })
    operator = (await bootstrapAdmin(app)).operatorToken
    const lines = [
      'cpu,host=a usage=0.5 1700000000000000000',
      'cpu,host=b usage=0.75 1700000001000000000',
      'cpu,host=a usage=1.5 1700000060000000000',
    ]
    const res = await app.fetchAs(operator, '/api/v3/write_lp?db=shell', {
      method: 'POST',
      body: lines.join('\n'),
    })
    assert.equal(res.status, 204)
    await app.fetchAs(operator, '/api/v3/write_lp?db=other', { method: 'POST', body: 'm v=1' })
  })
  after(() => app.close())

  it('lists databases and measurements', async () => {
    const databases = await seriesOf(app, operator, 'SHOW DATABASES')
    assert.deepEqual(databases[0]?.values, [['_internal'], ['other'], ['shell']])

    const measurements = await seriesOf(app, operator, 'SHOW MEASUREMENTS')
    assert.deepEqual(measurements[0]?.values, [['cpu']])
  })

  it('selects points with their nanosecond times', async () => {
    const [cpu] = await seriesOf(app, operator, "SELECT usage FROM cpu WHERE host = 'a'")
    assert.deepEqual(cpu?.columns, ['time', 'usage'])
    assert.deepEqual(cpu?.values, [
      [1700000000000000000, 0.5],
      [1700000060000000000, 1.5],
    ])
  })

  it('aggregates by time and tag', async () => {
    const series = await seriesOf(
      app,
      operator,
      'SELECT mean(usage) FROM cpu WHERE time >= 1700000000000000000 AND time < 1700000120000000000 GROUP BY time(1m), host',
    )
    const byHost = Object.fromEntries(
      series.map((one): [string, unknown[][]] => [one.tags?.host ?? '', one.values]),
    )
    assert.deepEqual(byHost, {
      a: [
        [1699999980000000000, 0.5],
        [1700000040000000000, 1.5],
        [1700000100000000000, null],
      ],
      b: [
        [1699999980000000000, 0.75],
        [1700000040000000000, null],
        [1700000100000000000, null],
      ],
    })
  })

  it('works with a signed-in user’s access token as password', async () => {
    const { token } = await signIn(app, 'admin')
    const [count] = await seriesOf(app, token, 'SELECT count(usage) FROM cpu')
    assert.deepEqual(count?.values, [[0, 3]])
  })

  it('shows a token scoped to one database only that database, and refuses the others', async () => {
    const scoped = await createResourceToken(
      (path, init) => app.fetchAs(operator, path, init),
      'shell-reader',
      [dbPermission(['shell'], ['read', 'describe'])],
    )
    const databases = await seriesOf(app, scoped.token, 'SHOW DATABASES')
    assert.deepEqual(databases[0]?.values, [['shell']])

    const refused = await influx(app, scoped.token, 'SELECT * FROM m', 'other')
    assert.match(refused.output, /unauthorized access/)
  })

  it('refuses a wrong token, quoting nothing of it', async () => {
    const wrong = 'apiv3_not-a-real-token-but-a-marker-8c1f'
    const ran = await influx(app, wrong, 'SHOW DATABASES')
    assert.match(ran.output, /not authenticated|unauthorized/)
    assert.ok(!app.logs.some((line) => line.includes(wrong)))
  })
})
