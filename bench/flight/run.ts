/**
 * One large result three ways: N rows (default 1 million) of `SELECT *` through Arrow Flight
 * (`DoGet` on the HTTP port, a raw gRPC client decoding the Arrow batches), and through
 * `POST /api/v3/query_sql` as Parquet and as JSON Lines. Every way must bring back every row,
 * each with its nanosecond time exactly as written.
 *
 * The three take turns at going first, after untimed warm-up rounds. A Flight run ends when
 * every message has arrived and been decoded into record batches; an HTTP run when the whole
 * body has arrived. Checking the rows comes afterwards, untimed.
 *
 *   npm run build && node --import tsx bench/flight/run.ts [rows, a multiple of 5,000]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'

import type { RecordBatch } from 'apache-arrow'

import { FlightTestClient, decodeBatches, nanosOf } from '../../test/support/flight-client.js'
import {
  exactTimes,
  jsonLinesTimes,
  parseRows,
  readingBatches,
  readingsSql,
} from '../query/readings-fixture.js'
import { startBenchServer, writeBatches } from '../query/bench-server.js'
import { formatCount, formatMs, markdownTable, median, timeTurns } from '../query/bench-timing.js'
import type { RunPlan } from '../query/bench-timing.js'

/** A way to run the query; `run` resolves when the whole answer is in. */
interface Contender {
  name: string
  run(): Promise<Answer>
}

/** What one run brought back, ready to be checked. */
interface Answer {
  bytes: number
  /** The times read back, by `seq`. */
  times(): Map<number, bigint>
}

/** The times of one contender's timed runs and its last answer. */
interface Measured {
  name: string
  ms: number[]
  last: Answer
}

const plan: RunPlan = { warmups: 1, runs: 5 }

function flightContender(url: string): Contender {
  return {
    name: 'Flight `DoGet` (Arrow IPC, raw gRPC client)',
    async run() {
      const client = new FlightTestClient(url)
      try {
        const { messages, error } = await client.collect({
          database: 'bench',
          sql_query: readingsSql,
        })
        if (error !== undefined) throw error
        const batches = decodeBatches(messages)
        const bytes = messages.reduce(
          (sum, m) => sum + m.data_header.byteLength + m.data_body.byteLength,
          0,
        )
        return { bytes, times: () => flightTimes(batches) }
      } finally {
        client.close()
      }
    },
  }
}

function flightTimes(batches: RecordBatch[]): Map<number, bigint> {
  const times = nanosOf(batches)
  const seqs = nanosOf(batches, 'seq')
  return new Map(seqs.map((seq, i) => [Number(seq), times[i] ?? -1n]))
}

function httpContender(url: string, format: 'parquet' | 'jsonl'): Contender {
  return {
    name: `\`POST /api/v3/query_sql\`, ${format}`,
    async run() {
      const res = await fetch(`${url}/api/v3/query_sql`, {
        method: 'POST',
        body: JSON.stringify({ db: 'bench', q: readingsSql, format }),
        headers: { 'content-type': 'application/json' },
      })
      if (res.status !== 200) throw new Error(`${format}: ${res.status} ${await res.text()}`)
      const body = new Uint8Array(await res.arrayBuffer())
      return { bytes: body.byteLength, times: () => httpTimes(body, format) }
    },
  }
}

function httpTimes(body: Uint8Array, format: 'parquet' | 'jsonl'): Map<number, bigint> {
  if (format === 'parquet') return new Map() // Checked by bench/query/large-result.ts.
  return jsonLinesTimes(body)
}

async function measure(contenders: Contender[]): Promise<Measured[]> {
  const timed = await timeTurns(
    plan,
    contenders.map((contender) => () => contender.run()),
  )
  return contenders.map((contender, i) => {
    const runs = timed[i] ?? []
    const last = runs.at(-1)?.value
    if (last === undefined) throw new Error(`${contender.name} never ran`)
    return { name: contender.name, ms: runs.map((run) => run.ms), last }
  })
}

function report(rows: number, loadSeconds: number, measured: Measured[]): void {
  console.log(
    `${formatCount(rows)} rows of \`${readingsSql}\`, ` +
      `loaded over HTTP in ${loadSeconds.toFixed(1)} s; ` +
      `${plan.warmups} warm-up + ${plan.runs} timed rounds, taking turns; ` +
      `load average ${loadavg()[0]?.toFixed(1)}\n`,
  )
  const lines = measured.map(({ name, ms, last }) => {
    const times = last.times()
    const exact = times.size === 0 ? 'see large-result.ts' : formatCount(exactTimes(times))
    return [
      name,
      formatMs(median(ms)),
      formatMs(Math.min(...ms)),
      formatMs(Math.max(...ms)),
      (last.bytes / 1e6).toFixed(1),
      exact,
    ]
  })
  const header = ['path', 'median ms', 'min ms', 'max ms', 'MB', 'exact ns times']
  console.log(markdownTable(header, lines))
}

const rows = parseRows(process.argv[2])
const dataDir = mkdtempSync(join(tmpdir(), 'fluxgate-flight-bench-'))
const server = await startBenchServer(dataDir)
try {
  const started = performance.now()
  await writeBatches(server.url, 'bench', readingBatches(rows))
  const loadSeconds = (performance.now() - started) / 1000

  const measured = await measure([
    flightContender(server.url),
    httpContender(server.url, 'parquet'),
    httpContender(server.url, 'jsonl'),
  ])
  report(rows, loadSeconds, measured)
  const flight = measured[0]?.last.times()
  if (flight?.size !== rows || exactTimes(flight) !== rows) {
    throw new Error('Flight did not bring back every row with its exact time')
  }
} finally {
  await server.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
