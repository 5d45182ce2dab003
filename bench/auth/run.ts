/**
 * What authentication costs: requests per second on `/ping` and on `/api/v3/write_lp` with a
 * resource token, against the same server kind started `--without-auth`, in alternating rounds
 * of one run so that machine noise hits both sides alike.
 *
 *   npm run build && node --import tsx bench/auth/run.ts [seconds-per-round] [rounds]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { spawnServer } from '../../test/support/server-process.js'
import type { ServerProcess } from '../../test/support/server-process.js'

const seconds = Number(process.argv[2] ?? 5)
const rounds = Number(process.argv[3] ?? 3)
const concurrency = 32
const writeBody = Array.from({ length: 100 }, (_, i) => `auth,host=h${i % 10} v=${i}i`).join('\n')

interface Target {
  label: string
  server: ServerProcess
  headers: Record<string, string>
}

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

async function startAuthenticated(dataDir: string): Promise<Target> {
  const server = await spawnServer(['--data-dir', dataDir, '--node-id', 'auth'])
  const admin = await fetch(`${server.url}/api/v3/configure/token/admin`, { method: 'POST' })
  const operator = ((await admin.json()) as { token: string }).token
  const auth = { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }

  await fetch(`${server.url}/api/v3/configure/database`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ db: 'bench' }),
  })
  const created = await fetch(`${server.url}/api/v3/enterprise/configure/token`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      token_name: 'bench-writer',
      permissions: [
        { resource_type: 'db', resource_names: ['bench'], actions: ['write'] },
        { resource_type: 'system', resource_names: ['ping'], actions: ['read'] },
      ],
    }),
  })
  const token = ((await created.json()) as { token: string }).token
  return { label: 'resource token', server, headers: { authorization: `Bearer ${token}` } }
}

async function startOpen(dataDir: string): Promise<Target> {
  const server = await spawnServer(['--data-dir', dataDir, '--node-id', 'open', '--without-auth'])
  return { label: '--without-auth', server, headers: {} }
}

function measure(target: Target, endpoint: 'ping' | 'write') {
  const url =
    endpoint === 'ping'
      ? `${target.server.url}/ping`
      : `${target.server.url}/api/v3/write_lp?db=bench`
  const init: RequestInit =
    endpoint === 'ping'
      ? { headers: target.headers }
      : { method: 'POST', headers: target.headers, body: writeBody }
  return closedLoop(() => call(url, init))
}

const dirs = [
  mkdtempSync(join(tmpdir(), 'fluxgate-auth-a-')),
  mkdtempSync(join(tmpdir(), 'fluxgate-auth-b-')),
]
const targets = [await startAuthenticated(dirs[0] ?? ''), await startOpen(dirs[1] ?? '')]
const totals = new Map<string, number[]>()
try {
  for (let round = 0; round < rounds; round++) {
    for (const endpoint of ['ping', 'write'] as const) {
      for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
        const { rps, failures } = await measure(target, endpoint)
        if (failures > 0)
          throw new Error(`${target.label} ${endpoint}: ${failures} failed requests`)
        const key = `${endpoint}|${target.label}`
        totals.set(key, [...(totals.get(key) ?? []), rps])
      }
    }
  }
} finally {
  for (const target of targets) {
    target.server.child.kill('SIGTERM')
    await target.server.exited
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
console.log(`auth: ${concurrency} concurrent clients, ${rounds} alternating rounds of ${seconds} s`)
console.log('| endpoint | resource token req/s | --without-auth req/s | ratio |')
console.log('| --- | --- | --- | --- |')
for (const endpoint of ['ping', 'write']) {
  const withAuth = median(totals.get(`${endpoint}|resource token`) ?? [])
  const without = median(totals.get(`${endpoint}|--without-auth`) ?? [])
  const label = endpoint === 'ping' ? '/ping' : '/api/v3/write_lp (100 lines)'
  console.log(
    `| ${label} | ${withAuth.toFixed(0)} | ${without.toFixed(0)} | ${((withAuth / without) * 100).toFixed(1)}% |`,
  )
}
