/**
 * A `date_bin` group-by over N rows (default 10 million) through `POST /api/v3/query_sql`
 * (format json), against the same SQL run directly in DuckDB on the same data, with the same
 * dialect macros, side by side in one run.
 *
 * The server loads the rows over HTTP and stops, which checkpoints its DuckDB file; a byte copy
 * of that file is what DuckDB opens read-only in this process, since the server holds the
 * original. Then both sides run the query in pairs, after untimed warm-up pairs, taking turns at
 * going first, and the medians are compared. Both sides must return the same rows.
 *
 *   npm run build && node --import tsx bench/query/run.ts [rows, a multiple of 5,000]
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'

import { DuckDBInstance, DuckDBTimestampNanosecondsValue } from '@duckdb/node-api'
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api'

import { makeBatches } from '../support/load.js'
import { findDatabaseFile, startBenchServer, writeBatches } from './bench-server.js'
import type { BenchServer } from './bench-server.js'
import { formatCount, formatMs, markdownTable, median, timePairs } from './bench-timing.js'
import type { RunPlan, Timed } from './bench-timing.js'

/** One row of the group-by, in a form both sides can be compared in. */
interface BinRow {
  hour: string
  host: string
  usage: number
}

/** A row as the API answers it in JSON. */
interface ApiRow {
  hour: string
  host: string
  usage: number
}

/** The time of each timed run of one side, and the rows of its last run. */
interface SideResult {
  times: number[]
  rows: BinRow[]
}

const batchSize = 5_000
const firstTime = 1_700_000_000_000_000_000n
const plan: RunPlan = { warmups: 3, runs: 21 }
const sql = `SELECT date_bin(INTERVAL '1 hour', time) AS hour, host, avg(usage_user) AS usage
FROM cpu GROUP BY 1, 2 ORDER BY 1, 2`

// makeBatches moves the time on by one second every 1,000 lines, so batch `b` of one long load
// starts `b * batchSize / 1000` seconds in; building each batch alone gives the same lines.
function* cpuBatches(rows: number): Generator<string> {
  const secondsPerBatch = BigInt(batchSize / 1000)
  for (let b = 0; b < rows / batchSize; b++) {
    const start = firstTime + BigInt(b) * secondsPerBatch * 1_000_000_000n
    yield makeBatches(1, batchSize, start)[0] ?? ''
  }
}

async function load(dataDir: string, rows: number): Promise<number> {
  const server = await startBenchServer(dataDir)
  const started = performance.now()
  try {
    await writeBatches(server.url, 'bench', cpuBatches(rows))
    return (performance.now() - started) / 1000
  } finally {
    await server.stop()
  }
}

async function queryApi(url: string): Promise<ApiRow[]> {
  const res = await fetch(`${url}/api/v3/query_sql`, {
    method: 'POST',
    body: JSON.stringify({ db: 'bench', q: sql, format: 'json' }),
    headers: { 'content-type': 'application/json' },
  })
  if (res.status !== 200) throw new Error(`query failed: ${res.status} ${await res.text()}`)

  return (await res.json()) as ApiRow[]
}

// The rows leave DuckDB as values, as a program using DuckDB directly would take them.
async function queryDirect(connection: DuckDBConnection): Promise<DuckDBValue[][]> {
  const reader = await connection.runAndReadAll(sql)
  return reader.getRows()
}

// The server's connections resolve names in the user schema, then in `main`, where the file
// keeps the dialect macros (`date_bin` among them) the server created: the same SQL thus binds
// to the same views and the same macros here, in the same zone.
async function connectLikeServer(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const connection = await instance.connect()
  await connection.run("SET TimeZone = 'UTC'")
  await connection.run("SET search_path = 'iox,main'")

  const reader = await connection.runAndReadAll(
    `SELECT count(*)::INTEGER FROM duckdb_functions()
     WHERE schema_name = 'main' AND function_name = 'date_bin'`,
  )
  if (reader.getRows()[0]?.[0] !== 2) throw new Error('the file lacks the server date_bin macro')

  return connection
}

function directRow(row: DuckDBValue[]): BinRow {
  const [hour, host, usage] = row
  if (!(hour instanceof DuckDBTimestampNanosecondsValue)) throw new Error('hour is not in ns')
  if (typeof host !== 'string' || typeof usage !== 'number') throw new Error('unexpected row')

  return { hour: new Date(Number(hour.nanos / 1_000_000n)).toISOString(), host, usage }
}

// The API prints zone-less UTC text; bins are whole hours, so milliseconds lose nothing.
function apiRow({ hour, host, usage }: ApiRow): BinRow {
  return { hour: new Date(`${hour}Z`).toISOString(), host, usage }
}

// DuckDB's parallel average may add in another order from one run to the next.
function sameRows(a: readonly BinRow[], b: readonly BinRow[]): boolean {
  if (a.length !== b.length) return false

  return a.every((row, index) => {
    const other = b[index]
    if (other === undefined || other.hour !== row.hour || other.host !== row.host) return false
    return Math.abs(other.usage - row.usage) <= 1e-9 * Math.max(1, Math.abs(row.usage))
  })
}

// Only fetching the rows is timed; putting them in comparable form comes after.
function sideResult<T>(timed: ReadonlyArray<Timed<T[]>>, toRow: (row: T) => BinRow): SideResult {
  return { times: timed.map((run) => run.ms), rows: (timed.at(-1)?.value ?? []).map(toRow) }
}

async function compareSides(
  server: BenchServer,
  directFile: string,
): Promise<{ api: SideResult; direct: SideResult }> {
  const instance = await DuckDBInstance.create(directFile, { access_mode: 'READ_ONLY' })
  const connection = await connectLikeServer(instance)
  try {
    const timed = await timePairs(
      plan,
      () => queryApi(server.url),
      () => queryDirect(connection),
    )
    return { api: sideResult(timed.first, apiRow), direct: sideResult(timed.second, directRow) }
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

function parseRows(arg: string | undefined): number {
  const rows = Number(arg ?? 10_000_000)
  if (!Number.isSafeInteger(rows) || rows <= 0 || rows % batchSize !== 0) {
    throw new Error(`rows must be a positive multiple of ${batchSize}; got ${arg}`)
  }
  return rows
}

function report(rows: number, loadSeconds: number, api: SideResult, direct: SideResult): void {
  const line = (path: string, side: SideResult): string[] => [
    path,
    formatMs(median(side.times)),
    formatMs(Math.min(...side.times)),
    formatMs(Math.max(...side.times)),
  ]
  const ratios = api.times.map((ms, i) => ms / (direct.times[i] ?? Number.NaN))

  const rate = formatCount(Math.round(rows / loadSeconds))
  const loadAverage = loadavg()[0]?.toFixed(1)
  console.log(
    `date_bin group-by over ${formatCount(rows)} rows, ${formatCount(api.rows.length)} result rows`,
  )
  console.log(`loaded over HTTP in ${loadSeconds.toFixed(1)} s (${rate} rows/s)`)
  console.log(`${plan.warmups} warm-up + ${plan.runs} timed pairs; load average ${loadAverage}\n`)
  console.log(
    markdownTable(
      ['path', 'median ms', 'min ms', 'max ms'],
      [
        line('`POST /api/v3/query_sql`, json', api),
        line('DuckDB directly: same data, SQL and macros', direct),
      ],
    ),
  )
  console.log(
    `\nratio API / direct (medians): ${(median(api.times) / median(direct.times)).toFixed(2)}x`,
  )
  console.log(`median of the per-pair ratios: ${median(ratios).toFixed(2)}x`)
}

const rows = parseRows(process.argv[2])
const dataDir = mkdtempSync(join(tmpdir(), 'fluxgate-query-bench-'))
try {
  const loadSeconds = await load(dataDir, rows)
  const directFile = join(dataDir, 'direct-copy.duckdb')
  copyFileSync(await findDatabaseFile(dataDir, 'cpu'), directFile)

  const server = await startBenchServer(dataDir)
  const { api, direct } = await compareSides(server, directFile).finally(() => server.stop())
  if (!sameRows(api.rows, direct.rows)) throw new Error('the API and DuckDB returned other rows')

  report(rows, loadSeconds, api, direct)
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
