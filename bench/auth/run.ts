/**
 * What authentication costs over HTTP, in one run:
 *
 * 1. requests per second on `/ping` and on `/api/v3/write_lp` with no authentication (a second
 *    server started `--without-auth`), with an API token, and with a user's access token (a JWT
 *    from `POST /api/v3/authorize`) on a server started `--user-auth-type basic`. The three run
 *    in alternating rounds (A B C A B C …) so that machine noise hits them alike; medians are
 *    reported. Target: the JWT at 95% or more of no authentication.
 * 2. a login storm: waves of 50 simultaneous sign-ins for several users, while `/ping` is probed
 *    every 10 ms with an API token. Target: `/ping` p99 under 20 ms.
 *
 *   npm run build && node --import tsx bench/auth/run.ts [seconds-per-round] [rounds] [storm-s]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { runLoginStorm, startPingProbe } from './login-storm.js'
import type { PingSummary, StormResult } from './login-storm.js'
import { signIn, startOpenServer, startSignInServer, stopServer } from './sign-in-server.js'
import type { SignInServer, Target } from './sign-in-server.js'

const seconds = Number(process.argv[2] ?? 5)
const rounds = Number(process.argv[3] ?? 5)
const stormSeconds = Number(process.argv[4] ?? 10)
const concurrency = 32
const stormConcurrency = 50
const userCount = 10
const writeBody = Array.from({ length: 100 }, (_, i) => `auth,host=h${i % 10} v=${i}i`).join('\n')
const endpoints = ['ping', 'write'] as const
type Endpoint = (typeof endpoints)[number]

/** Requests per second of each round, by endpoint and target label. */
type Samples = Map<string, number[]>

async function closedLoop(send: () => Promise<number>): Promise<{ rps: number; failures: number }> {
  let done = 0
  let failures = 0
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const status = await send()
        if (status >= 300) failures++
        done++
      }
    }),
  )
  return { rps: done / ((performance.now() - started) / 1000), failures }
}

async function call(url: string, init: RequestInit): Promise<number> {
  const res = await fetch(url, init)
  await res.arrayBuffer()
  return res.status
}

function measure(target: Target, endpoint: Endpoint) {
  const { url } = target.server
  if (endpoint === 'ping') return closedLoop(() => call(`${url}/ping`, { headers: target.headers }))

  const init = { method: 'POST', headers: target.headers, body: writeBody }
  return closedLoop(() => call(`${url}/api/v3/write_lp?db=bench`, init))
}

async function authenticatedTargets(signInServer: SignInServer): Promise<Target[]> {
  const { server, apiToken, users } = signInServer
  const [first] = users
  if (first === undefined) throw new Error('the login storm needs at least one user')

  const jwt = await signIn(server, first)
  return [
    { label: 'API token', server, headers: { authorization: `Bearer ${apiToken}` } },
    { label: 'JWT', server, headers: { authorization: `Bearer ${jwt}` } },
  ]
}

async function runRounds(targets: Target[]): Promise<Samples> {
  const samples: Samples = new Map()
  for (let round = 0; round < rounds; round++) {
    for (const endpoint of endpoints) {
      for (const target of targets) {
        const { rps, failures } = await measure(target, endpoint)
        if (failures > 0) throw new Error(`${target.label} ${endpoint}: ${failures} failed`)
        const key = `${endpoint}|${target.label}`
        samples.set(key, [...(samples.get(key) ?? []), rps])
      }
    }
  }
  return samples
}

// The idle probe gives the storm's figures a floor: what the client and the machine add anyway.
async function runStorm(signInServer: SignInServer) {
  const { server, apiToken, users } = signInServer
  const pingHeaders = { authorization: `Bearer ${apiToken}` }
  const idleProbe = startPingProbe(server.url, pingHeaders)
  await new Promise((resolve) => setTimeout(resolve, 3000))
  const idle = await idleProbe.stop()

  const storm = await runLoginStorm({
    url: server.url,
    users,
    concurrency: stormConcurrency,
    seconds: stormSeconds,
    pingHeaders,
  })
  return { idle, storm }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`

function printThroughput(samples: Samples): void {
  console.log(`auth: ${concurrency} concurrent clients, ${rounds} rounds of ${seconds} s, medians`)
  console.log(
    '| endpoint | no auth req/s | API token req/s | JWT req/s | token/no auth | JWT/no auth |',
  )
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const endpoint of endpoints) {
    const [open, token, jwt] = ['no auth', 'API token', 'JWT'].map((label) =>
      median(samples.get(`${endpoint}|${label}`) ?? []),
    )
    const name = endpoint === 'ping' ? '/ping' : '/api/v3/write_lp (100 lines)'
    const cells = [open, token, jwt].map((rps) => (rps ?? 0).toFixed(0))
    const ratios = [percent(token ?? 0, open ?? 0), percent(jwt ?? 0, open ?? 0)]
    console.log(`| ${name} | ${[...cells, ...ratios].join(' | ')} |`)
  }
  console.log('target: JWT/no auth at least 95%')
  for (const endpoint of endpoints) console.log(roundSpread(samples, endpoint))
}

// A row of one round ran seconds from the others of that round, so its ratio is the fairest
// single comparison; their range shows how much of a gap the noise alone could make.
function roundSpread(samples: Samples, endpoint: Endpoint): string {
  const open = samples.get(`${endpoint}|no auth`) ?? []
  const ratios = (samples.get(`${endpoint}|JWT`) ?? []).map((rps, i) => rps / (open[i] ?? rps))
  const [low, high] = [Math.min(...ratios), Math.max(...ratios)].map((r) => percent(r, 1))
  return `${endpoint}: JWT/no auth within one round ranged ${low} to ${high}`
}

function pingRow(phase: string, ping: PingSummary, logins: string): string {
  const ms = [ping.p50Ms, ping.p99Ms, ping.maxMs].map((value) => value.toFixed(1))
  return `| ${phase} | ${ping.samples} (${ping.failures} failed) | ${ms.join(' | ')} | ${logins} |`
}

function printStorm(idle: PingSummary, storm: StormResult): void {
  const during = `${stormConcurrency} concurrent logins, ${stormSeconds} s`
  const logins = `${storm.loginsPerSecond.toFixed(1)} (${storm.failures} failed)`
  console.log(`\nlogin storm: ${userCount} users, /ping with an API token every 10 ms`)
  console.log('| phase | /ping samples | p50 ms | p99 ms | max ms | logins/s |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  console.log(pingRow('idle', idle, '—'))
  console.log(pingRow(during, storm.ping, logins))
  console.log('target: /ping p99 under 20 ms during the storm')
}

const dirs = ['a', 'b'].map((side) => mkdtempSync(join(tmpdir(), `fluxgate-auth-${side}-`)))
const signInServer = await startSignInServer(dirs[0] ?? '', userCount)
const open = await startOpenServer(dirs[1] ?? '')
try {
  const samples = await runRounds([open, ...(await authenticatedTargets(signInServer))])
  const { idle, storm } = await runStorm(signInServer)
  printThroughput(samples)
  printStorm(idle, storm)
} finally {
  await Promise.all([stopServer(signInServer.server), stopServer(open.server)])
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
}
