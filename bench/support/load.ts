import { readFileSync } from 'node:fs'

/** Line-protocol batches of `batchSize` lines over 1,000 series (2 tags, 4 fields). */
export function makeBatches(count: number, batchSize: number, startNanos: bigint): string[] {
  const next = batchStream(batchSize, startNanos)
  return Array.from({ length: count }, next)
}

/**
 * A source of batches of `batchSize` lines (a multiple of 1,000) over 1,000 series (2 tags,
 * 4 fields): each batch holds new points, one second after the previous 1,000 lines, as a
 * steady stream of measurements would. The text of each line but its time is built once.
 */
export function batchStream(batchSize: number, startNanos: bigint): () => string {
  const series = 1000
  const points = Array.from({ length: batchSize }, (_, i) => {
    const s = i % series
    return `cpu,host=host-${s},region=region-${s % 10} usage_user=${(i % 100) + 0.5},usage_system=${i % 7}.25,requests=${i}i,status="ok" `
  })
  let time = startNanos

  return () => {
    const lines: string[] = []
    for (let i = 0; i < batchSize; i++) {
      if (i % series === 0) time += 1_000_000_000n
      lines.push(points[i] + String(time))
    }
    return lines.join('\n')
  }
}

/** Latency percentiles of a sorted list of milliseconds. */
export function percentile(sortedMs: number[], p: number): number {
  const index = Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))
  return sortedMs[index] ?? Number.NaN
}

/**
 * Resident memory of a process and all its descendants in MiB, read from /proc: a launcher may
 * run the server in a child process.
 */
export function rssMiB(pid: number): number {
  return processTree(pid).reduce((sum, member) => sum + ownRssMiB(member), 0)
}

function ownRssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
    return kb / 1024
  } catch {
    return 0
  }
}

function processTree(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    const childPids = children.split(' ').filter(Boolean).map(Number)
    return [pid, ...childPids.flatMap(processTree)]
  } catch {
    return [pid]
  }
}

/** Result of one load run against one server. */
export interface LoadResult {
  lines: number
  seconds: number
  linesPerSecond: number
  p50Ms: number
  p99Ms: number
  maxRssMiB: number
  failures: number
}

/**
 * Sends the batches with `clients` concurrent senders for `seconds`, cycling through them,
 * sampling the server's memory as it goes.
 */
export async function runLoad(options: {
  send: (body: string) => Promise<number>
  nextBatch: () => string
  linesPerBatch: number
  clients: number
  seconds: number
  serverPid: number
}): Promise<LoadResult> {
  const latencies: number[] = []
  let failures = 0
  let maxRss = 0
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssMiB(options.serverPid))), 100)
  const deadline = performance.now() + options.seconds * 1000
  const started = performance.now()

  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (performance.now() < deadline) {
        const body = options.nextBatch()
        const t0 = performance.now()
        const status = await options.send(body)
        latencies.push(performance.now() - t0)
        if (status !== 204) failures++
      }
    }),
  )

  clearInterval(sampler)
  const seconds = (performance.now() - started) / 1000
  const lines = (latencies.length - failures) * options.linesPerBatch
  latencies.sort((a, b) => a - b)
  return {
    lines,
    seconds,
    linesPerSecond: lines / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxRssMiB: Math.max(maxRss, rssMiB(options.serverPid)),
    failures,
  }
}
