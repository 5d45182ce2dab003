/**
 * Line-protocol ingest over HTTP: 5,000-line batches, 4 concurrent clients, 1,000 series of
 * 2 tags and 4 fields. Runs Fluxgate and, when Debian's `influxd` is installed, InfluxDB 1.x,
 * both with authentication on, one after the other in the same run. Memory is the resident size
 * of each server's whole process tree, sampled every 100 ms.
 *
 * Every batch holds new points, as a stream of measurements does. With `--rewrite`, the same
 * 40 batches are sent over and over instead, so that after the first 200,000 lines every point
 * written replaces a stored one: the cost of overwrites.
 *
 *   npm run build && node --import tsx bench/ingest/run.ts [seconds] [--rewrite]
 */
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { createOperatorToken, spawnServer } from '../../test/support/server-process.js'
import { batchStream, makeBatches, runLoad } from '../support/load.js'
import type { LoadResult } from '../support/load.js'

const args = process.argv.slice(2)
const rewrite = args.includes('--rewrite')
const seconds = Number(args.find((arg) => !arg.startsWith('--')) ?? 20)
const batchSize = 5_000
const clients = 4
const firstTime = 1_700_000_000_000_000_000n

/** The batches one server is sent, the same for every server of the run. */
function batchSource(): () => string {
  if (!rewrite) return batchStream(batchSize, firstTime)

  const batches = makeBatches(40, batchSize, firstTime)
  let next = 0
  return () => batches[next++ % batches.length] ?? ''
}

async function benchFluxgate(): Promise<LoadResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fluxgate-bench-'))
  const server = await spawnServer(['--data-dir', dataDir, '--node-id', 'bench'])
  try {
    const url = `${server.url}/api/v3/write_lp?db=bench&precision=ns`
    const headers = { authorization: `Bearer ${await createOperatorToken(server.url)}` }
    const send = async (body: string) => {
      const res = await fetch(url, { method: 'POST', body, headers })
      await res.arrayBuffer()
      return res.status
    }
    return await runLoad({
      send,
      nextBatch: batchSource(),
      linesPerBatch: batchSize,
      clients,
      seconds,
      serverPid: server.child.pid ?? 0,
    })
  } finally {
    server.child.kill('SIGTERM')
    await server.exited
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function benchInfluxDb1(): Promise<LoadResult | undefined> {
  if (spawnSync('which', ['influxd']).status !== 0) return undefined

  const dir = mkdtempSync(join(tmpdir(), 'influxdb1-bench-'))
  const port = 18086
  writeFileSync(join(dir, 'influxdb.conf'), influxConfig(dir, port))
  const child = spawn('influxd', ['-config', join(dir, 'influxdb.conf')], { stdio: 'ignore' })
  try {
    const base = `http://127.0.0.1:${port}`
    await waitFor(`${base}/ping`)
    await influxQuery(
      base,
      "CREATE USER bench WITH PASSWORD 'bench-password' WITH ALL PRIVILEGES",
      '',
    )
    const auth = `Basic ${Buffer.from('bench:bench-password').toString('base64')}`
    await influxQuery(base, 'CREATE DATABASE bench', auth)

    const url = `${base}/write?db=bench&precision=ns`
    const send = async (body: string) => {
      const res = await fetch(url, { method: 'POST', body, headers: { authorization: auth } })
      await res.arrayBuffer()
      return res.status
    }
    return await runLoad({
      send,
      nextBatch: batchSource(),
      linesPerBatch: batchSize,
      clients,
      seconds,
      serverPid: child.pid ?? 0,
    })
  } finally {
    await stop(child)
    rmSync(dir, { recursive: true, force: true })
  }
}

function influxConfig(dir: string, port: number): string {
  return `reporting-disabled = true
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:${port}"
  auth-enabled = true
  log-enabled = false
`
}

async function influxQuery(base: string, q: string, auth: string): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (auth !== '') headers.authorization = auth
  const res = await fetch(`${base}/query`, {
    method: 'POST',
    body: new URLSearchParams({ q }),
    headers,
  })
  if (!res.ok) throw new Error(`influxdb query failed: ${res.status} ${await res.text()}`)
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).status === 204) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${url} did not answer`)
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

function row(name: string, r: LoadResult): string {
  const rate = Math.round(r.linesPerSecond).toLocaleString('en-US')
  return `| ${name} | ${rate} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.maxRssMiB.toFixed(0)} | ${r.failures} |`
}

const fluxgate = await benchFluxgate()
const influx = await benchInfluxDb1()
console.log(
  `ingest: ${batchSize}-line batches, ${clients} clients, ${seconds} s each, ${rewrite ? 'rewriting 200,000 points' : 'new points'}`,
)
console.log('| server | lines/s | p50 ms | p99 ms | max RSS MiB | failed requests |')
console.log('| --- | --- | --- | --- | --- | --- |')
console.log(row('Fluxgate (auth on)', fluxgate))
if (influx === undefined)
  console.log('| InfluxDB 1.x | not installed (apt-get install influxdb) | | | | |')
else {
  console.log(row('InfluxDB 1.x (auth on)', influx))
  console.log(
    `ratio Fluxgate / InfluxDB 1.x: ${(fluxgate.linesPerSecond / influx.linesPerSecond).toFixed(2)}x`,
  )
}
