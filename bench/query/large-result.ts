/**
 * A large result through `POST /api/v3/query_sql`: N rows (default 1 million) with nanosecond
 * timestamps, as JSON Lines and as Parquet, side by side in one run, and a check that every
 * row's time comes back exactly as written, to the nanosecond, in both formats.
 *
 * The two formats take turns at going first, after untimed warm-up runs. A run ends when the
 * whole body has arrived; parsing and checking it happen afterwards, untimed.
 *
 *   npm run build && node --import tsx bench/query/large-result.ts [rows, a multiple of 5,000]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'

import { DuckDBInstance } from '@duckdb/node-api'

import {
  exactTimes,
  jsonLinesTimes,
  parseRows,
  readingBatches,
  readingsSql,
  readingTimeOf,
} from './readings-fixture.js'
import { startBenchServer, writeBatches } from './bench-server.js'
import { formatCount, formatMs, markdownTable, median, timePairs } from './bench-timing.js'
import type { RunPlan, Timed } from './bench-timing.js'

/** One timed fetch: when the headers came, when the whole body had come, and the body. */
interface Fetched {
  headersMs: number
  totalMs: number
  body: Uint8Array
}

/** The times of one format across its timed runs, and the body of the last one. */
interface FormatResult {
  totalMs: number[]
  headersMs: number[]
  body: Uint8Array
}

/** How the times read back from one body compare with the times written. */
interface TimeCheck {
  rows: number
  exact: number
  /** Time read back by `seq`, in nanoseconds. */
  bySeq: Map<number, bigint>
  /** The type of the Parquet time column, when the body is Parquet. */
  timeType?: string
}

const plan: RunPlan = { warmups: 1, runs: 5 }

async function fetchQuery(url: string, format: 'jsonl' | 'parquet'): Promise<Fetched> {
  const started = performance.now()
  const res = await fetch(`${url}/api/v3/query_sql`, {
    method: 'POST',
    body: JSON.stringify({ db: 'bench', q: readingsSql, format }),
    headers: { 'content-type': 'application/json' },
  })
  const headersMs = performance.now() - started
  if (res.status !== 200) {
    throw new Error(`${format} query failed: ${res.status} ${await res.text()}`)
  }

  const body = new Uint8Array(await res.arrayBuffer())
  return { headersMs, totalMs: performance.now() - started, body }
}

async function timeFormats(url: string): Promise<{ jsonl: FormatResult; parquet: FormatResult }> {
  const timed = await timePairs(
    plan,
    () => fetchQuery(url, 'jsonl'),
    () => fetchQuery(url, 'parquet'),
  )
  return { jsonl: formatResult(timed.first), parquet: formatResult(timed.second) }
}

// The whole body has arrived when `fetchQuery` resolves, so its own total is the timed one.
function formatResult(timed: ReadonlyArray<Timed<Fetched>>): FormatResult {
  return {
    totalMs: timed.map((run) => run.value.totalMs),
    headersMs: timed.map((run) => run.value.headersMs),
    body: timed.at(-1)?.value.body ?? new Uint8Array(),
  }
}

async function checkParquet(body: Uint8Array, dir: string): Promise<TimeCheck> {
  const file = join(dir, 'result.parquet')
  writeFileSync(file, body)
  const instance = await DuckDBInstance.create(':memory:')
  try {
    const connection = await instance.connect()
    const reader = await connection.runAndReadAll(
      `SELECT seq, epoch_ns(time) AS nanos, typeof(time) AS type FROM read_parquet('${file}')`,
    )
    const bySeq = new Map<number, bigint>()
    let timeType: string | undefined
    for (const [seq, nanos, type] of reader.getRows()) {
      if (typeof seq !== 'bigint' || typeof nanos !== 'bigint') throw new Error('unexpected row')
      bySeq.set(Number(seq), nanos)
      timeType = String(type)
    }
    connection.closeSync()
    return { ...tally(bySeq), timeType }
  } finally {
    instance.closeSync()
  }
}

function tally(bySeq: Map<number, bigint>): TimeCheck {
  return { rows: bySeq.size, exact: exactTimes(bySeq), bySeq }
}

function formatLine(name: string, result: FormatResult, check: TimeCheck, rows: number): string[] {
  return [
    name,
    formatMs(median(result.totalMs)),
    formatMs(Math.min(...result.totalMs)),
    formatMs(Math.max(...result.totalMs)),
    formatMs(median(result.headersMs)),
    (result.body.byteLength / 1e6).toFixed(1),
    `${formatCount(check.exact)} / ${formatCount(rows)}`,
  ]
}

function sampleLines(rows: number, jsonl: TimeCheck, parquet: TimeCheck): string[][] {
  const samples = [0, Math.floor(rows / 2) + 1, rows - 1]

  return samples.map((seq) => [
    formatCount(seq),
    String(readingTimeOf(seq)),
    String(jsonl.bySeq.get(seq) ?? 'missing'),
    String(parquet.bySeq.get(seq) ?? 'missing'),
  ])
}

interface Measured {
  rows: number
  loadSeconds: number
  jsonl: FormatResult
  parquet: FormatResult
  jsonlCheck: TimeCheck
  parquetCheck: TimeCheck
}

function report(m: Measured): void {
  const count = formatCount(m.rows)
  console.log(
    `${count} rows of \`${readingsSql}\`, loaded over HTTP in ${m.loadSeconds.toFixed(1)} s; ` +
      `${plan.warmups} warm-up + ${plan.runs} timed runs per format, taking turns; ` +
      `load average ${loadavg()[0]?.toFixed(1)}\n`,
  )
  console.log(
    markdownTable(
      ['format', 'median ms', 'min ms', 'max ms', 'until headers ms', 'body MB', 'exact ns times'],
      [
        formatLine('jsonl', m.jsonl, m.jsonlCheck, m.rows),
        formatLine('parquet', m.parquet, m.parquetCheck, m.rows),
      ],
    ),
  )
  console.log(`\nParquet time column: ${m.parquetCheck.timeType ?? 'none'}\n`)
  console.log(
    markdownTable(
      ['seq', 'written ns', 'jsonl ns', 'parquet ns'],
      sampleLines(m.rows, m.jsonlCheck, m.parquetCheck),
    ),
  )
}

async function measure(dataDir: string, rows: number): Promise<Measured> {
  const server = await startBenchServer(dataDir)
  try {
    const started = performance.now()
    await writeBatches(server.url, 'bench', readingBatches(rows))
    const loadSeconds = (performance.now() - started) / 1000

    const { jsonl, parquet } = await timeFormats(server.url)
    const jsonlCheck = tally(jsonLinesTimes(jsonl.body))
    const parquetCheck = await checkParquet(parquet.body, dataDir)
    return { rows, loadSeconds, jsonl, parquet, jsonlCheck, parquetCheck }
  } finally {
    await server.stop()
  }
}

const rows = parseRows(process.argv[2])
const dataDir = mkdtempSync(join(tmpdir(), 'fluxgate-large-result-'))
try {
  const measured = await measure(dataDir, rows)
  report(measured)
  if (measured.jsonlCheck.exact !== rows || measured.parquetCheck.exact !== rows) {
    throw new Error('some times did not come back exactly as written')
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
