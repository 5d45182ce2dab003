/**
 * Ingest and query figures of the storage engine, on file databases in a temporary folder.
 *
 * - `write({ sync: true })` of 5,000-row batches (2 tags, 4 fields, 1,000 series) with 1, 4 and
 *   8 concurrent writers, each run on a fresh database. Batches are built before the clock runs,
 *   a round of 40 at a time, so the figure is the storage's own.
 * - rewriting 100,000 stored points (the last-write-wins path).
 * - the hourly average per host over exactly 1e6 rows.
 *
 * Run: node --import tsx bench/storage/ingest.ts [rowsPerRun]
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { createStorageEngine } from '../../src/storage/index.js'
import type { DatabaseStorage, StorageEngine, WriteRow } from '../../src/storage/index.js'

const seriesCount = 1000
const batchRows = 5000
const batchesPerRound = 40
const stepNanos = 60_000_000_000n
const startNanos = 1_767_225_600_000_000_000n
const hourlyAverage =
  "SELECT date_bin(INTERVAL '1 hour', time) AS hour, host, avg(usage) FROM cpu GROUP BY 1, 2"

interface Timing {
  rows: number
  seconds: number
  cpuSeconds: number
}

/** Batch `index` holds 5 points of each series, after those of every earlier batch. */
function batch(index: number): WriteRow[] {
  const rows: WriteRow[] = []
  const pointsPerSeries = batchRows / seriesCount
  for (let point = 0; point < pointsPerSeries; point++) {
    const time = startNanos + BigInt(index * pointsPerSeries + point) * stepNanos
    for (let series = 0; series < seriesCount; series++) {
      rows.push({
        table: 'cpu',
        tags: { host: `host-${series}`, region: `region-${series % 10}` },
        fields: {
          usage: Math.random() * 100,
          system: Math.random() * 100,
          idle: Math.random() * 100,
          processes: BigInt(series),
        },
        time,
      })
    }
  }

  return rows
}

async function openCpu(engine: StorageEngine, key: string): Promise<DatabaseStorage> {
  const db = await engine.open(key)
  await db.ensureColumns('cpu', [
    { name: 'host', type: 'tag' },
    { name: 'region', type: 'tag' },
    { name: 'usage', type: 'float' },
    { name: 'system', type: 'float' },
    { name: 'idle', type: 'float' },
    { name: 'processes', type: 'integer' },
  ])

  return db
}

async function writeConcurrently(
  db: DatabaseStorage,
  batches: WriteRow[][],
  writers: number,
): Promise<void> {
  let next = 0
  const writer = async (): Promise<void> => {
    for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
      await db.write(batch, { sync: true })
    }
  }
  await Promise.all(Array.from({ length: writers }, writer))
}

async function timeWrites(
  db: DatabaseStorage,
  firstBatch: number,
  batchCount: number,
  writers: number,
): Promise<Timing> {
  const timing = { rows: 0, seconds: 0, cpuSeconds: 0 }
  for (let round = 0; round < batchCount; round += batchesPerRound) {
    const size = Math.min(batchesPerRound, batchCount - round)
    const batches = Array.from({ length: size }, (_, index) => batch(firstBatch + round + index))

    const cpu = process.cpuUsage()
    const started = performance.now()
    await writeConcurrently(db, batches, writers)
    timing.seconds += (performance.now() - started) / 1000
    const used = process.cpuUsage(cpu)
    timing.cpuSeconds += (used.user + used.system) / 1e6
    timing.rows += size * batchRows
  }

  return timing
}

async function timeQuery(db: DatabaseStorage, sql: string): Promise<number> {
  const started = performance.now()
  const result = await db.query(sql, {})
  for await (const part of result.batches) if (part.rowCount < 0) break

  return performance.now() - started
}

function report(label: string, timing: Timing, commits: number): void {
  const perSecond = Math.round(timing.rows / timing.seconds)
  const cpuPerMillion = (timing.cpuSeconds / timing.rows) * 1e6
  console.log(
    `${label.padEnd(30)} ${perSecond.toLocaleString('en-US').padStart(9)} rows/s` +
      `  ${String(commits).padStart(4)} commits  ${cpuPerMillion.toFixed(2)} CPU s per 1e6 rows`,
  )
}

async function main(): Promise<void> {
  const rowsPerRun = Number(process.argv[2] ?? 1_000_000)
  const batchCount = Math.ceil(rowsPerRun / batchRows)
  const dir = await mkdtemp(join(tmpdir(), 'fluxgate-bench-'))
  let commits = 0
  const engine = createStorageEngine({ mode: 'file', dir, onCommit: () => commits++ })

  try {
    for (const writers of [1, 4, 8]) {
      const db = await openCpu(engine, `ingest-${writers}`)
      commits = 0
      report(
        `new points, ${writers} writer(s)`,
        await timeWrites(db, 0, batchCount, writers),
        commits,
      )

      commits = 0
      const rewrite = await timeWrites(db, 0, 20, 4)
      if (writers === 4) report('rewritten points, 4 writers', rewrite, commits)
      await db.close()
    }

    const db = await openCpu(engine, 'query')
    await timeWrites(db, 0, 1_000_000 / batchRows, 4)
    const times = []
    for (let attempt = 0; attempt < 5; attempt++) times.push(await timeQuery(db, hourlyAverage))
    times.sort((a, b) => a - b)
    const [best, , median] = times
    console.log(
      `hourly avg per host, 1e6 rows: median ${median?.toFixed(1)} ms, best ${best?.toFixed(1)} ms`,
    )
  } finally {
    await engine.close()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
