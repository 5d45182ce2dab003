/**
 * A `date_bin` group-by over N rows (default 10 million) through `/api/v3/query_sql`, against
 * the same SQL run directly in DuckDB on the same data file, side by side in one run.
 *
 *   npm run build && node --import tsx bench/query/run.ts [rows]
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { DuckDBInstance } from '@duckdb/node-api'

import { spawnServer } from '../../test/support/server-process.js'
import { makeBatches } from '../support/load.js'

const rows = Number(process.argv[2] ?? 10_000_000)
const batchSize = 5_000
const runs = 5
const sql = `SELECT date_bin(INTERVAL '1 hour', time) AS hour, host, avg(usage_user) AS usage
FROM cpu GROUP BY 1, 2 ORDER BY 1, 2`

async function load(url: string): Promise<void> {
  const batches = makeBatches(rows / batchSize, batchSize, 1_700_000_000_000_000_000n)
  let next = 0
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < batches.length) {
        const body = batches[next++] ?? ''
        const res = await fetch(`${url}/api/v3/write_lp?db=bench&precision=ns`, {
          method: 'POST',
          body,
        })
        if (res.status !== 204) throw new Error(`write failed: ${res.status} ${await res.text()}`)
      }
    }),
  )
}

async function timeApi(url: string): Promise<{ ms: number[]; rows: number }> {
  const ms: number[] = []
  let count = 0
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const res = await fetch(`${url}/api/v3/query_sql`, {
      method: 'POST',
      body: JSON.stringify({ db: 'bench', q: sql, format: 'json' }),
      headers: { 'content-type': 'application/json' },
    })
    const result = (await res.json()) as unknown[]
    ms.push(performance.now() - t0)
    count = result.length
  }
  return { ms, rows: count }
}

async function timeDirect(file: string): Promise<{ ms: number[]; rows: number }> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' })
  const connection = await instance.connect()
  await connection.run("SET TimeZone = 'UTC'")
  await connection.run('SET search_path = iox')
  await connection.run(
    "CREATE OR REPLACE TEMP MACRO date_bin(stride, src, origin := TIMESTAMP '1970-01-01') AS time_bucket(stride, src, origin)::TIMESTAMP_NS",
  )

  const ms: number[] = []
  let count = 0
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const reader = await connection.runAndReadAll(sql)
    const result = reader.getRowObjectsJson()
    ms.push(performance.now() - t0)
    count = result.length
  }
  connection.closeSync()
  instance.closeSync()
  return { ms, rows: count }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

function findDuckDbFile(dir: string): string {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.duckdb')) return join(entry.parentPath, entry.name)
  }
  throw new Error(`no DuckDB file under ${dir}`)
}

const dataDir = mkdtempSync(join(tmpdir(), 'fluxgate-query-bench-'))
try {
  const server = await spawnServer(['--data-dir', dataDir, '--node-id', 'bench'])
  const t0 = performance.now()
  await load(server.url)
  const loadSeconds = (performance.now() - t0) / 1000
  await timeApi(server.url)
  const api = await timeApi(server.url)
  server.child.kill('SIGTERM')
  await server.exited

  const direct = await timeDirect(findDuckDbFile(dataDir))
  await timeDirect(findDuckDbFile(dataDir))
  console.log(
    `query: date_bin group-by over ${rows.toLocaleString('en-US')} rows (loaded in ${loadSeconds.toFixed(1)} s)`,
  )
  console.log(`| path | median ms | runs ms | result rows |`)
  console.log(`| --- | --- | --- | --- |`)
  console.log(
    `| /api/v3/query_sql (json) | ${median(api.ms).toFixed(0)} | ${api.ms.map((m) => m.toFixed(0)).join(', ')} | ${api.rows} |`,
  )
  console.log(
    `| DuckDB directly | ${median(direct.ms).toFixed(0)} | ${direct.ms.map((m) => m.toFixed(0)).join(', ')} | ${direct.rows} |`,
  )
  console.log(`ratio API / direct: ${(median(api.ms) / median(direct.ms)).toFixed(2)}x`)
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
