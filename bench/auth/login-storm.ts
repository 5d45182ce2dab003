import { percentile } from '../support/load.js'
import type { BenchUser } from './sign-in-server.js'

/** Latency of the `/ping` probe over one phase. */
export interface PingSummary {
  samples: number
  failures: number
  p50Ms: number
  p99Ms: number
  maxMs: number
}

/** What a login storm achieved, and what `/ping` saw meanwhile. */
export interface StormResult {
  logins: number
  failures: number
  loginsPerSecond: number
  ping: PingSummary
}

/** A `/ping` probe running in the background until stopped. */
export interface PingProbe {
  stop(): Promise<PingSummary>
}

/**
 * Sends a `/ping` with `headers` every `intervalMs`, whether or not the previous one has
 * answered: a probe that waited for each answer would send fewer pings exactly when the server
 * is slow, and hide the slowness it is there to see.
 */
export function startPingProbe(url: string, headers: Record<string, string>, intervalMs = 10) {
  const latencies: number[] = []
  const inFlight = new Set<Promise<void>>()
  let failures = 0
  const send = async () => {
    const sent = performance.now()
    const ok = await succeeds(`${url}/ping`, { headers })
    latencies.push(performance.now() - sent)
    if (!ok) failures++
  }
  const timer = setInterval(() => {
    const ping = send()
    inFlight.add(ping)
    void ping.then(() => inFlight.delete(ping))
  }, intervalMs)

  return {
    async stop() {
      clearInterval(timer)
      await Promise.all(inFlight)
      return summarize(latencies, failures)
    },
  } satisfies PingProbe
}

/**
 * Sends waves of `concurrency` simultaneous sign-ins, spread over `users`, for about `seconds`,
 * while a probe pings the same server with `pingHeaders`. Every password is right: wrong ones
 * would be throttled per username and measure the throttle instead of the hashing.
 */
export async function runLoginStorm(options: {
  url: string
  users: BenchUser[]
  concurrency: number
  seconds: number
  pingHeaders: Record<string, string>
}): Promise<StormResult> {
  const probe = startPingProbe(options.url, options.pingHeaders)
  const started = performance.now()
  let logins = 0
  let failures = 0

  while (performance.now() - started < options.seconds * 1000) {
    const wave = await loginWave(options.url, options.users, options.concurrency)
    logins += wave.filter(Boolean).length
    failures += wave.filter((ok) => !ok).length
  }

  const seconds = (performance.now() - started) / 1000
  const ping = await probe.stop()
  return { logins, failures, loginsPerSecond: logins / seconds, ping }
}

function loginWave(url: string, users: BenchUser[], concurrency: number): Promise<boolean[]> {
  const init = (user: BenchUser | undefined): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  })
  const target = `${url}/api/v3/authorize`
  return Promise.all(
    Array.from({ length: concurrency }, (_, i) => succeeds(target, init(users[i % users.length]))),
  )
}

// A refused connection counts as a failure, not a crash: the figures still print.
async function succeeds(url: string, init: RequestInit): Promise<boolean> {
  try {
    const res = await fetch(url, init)
    await res.arrayBuffer()
    return res.status < 300
  } catch {
    return false
  }
}

function summarize(latencies: number[], failures: number): PingSummary {
  const sorted = [...latencies].sort((a, b) => a - b)
  return {
    samples: sorted.length,
    failures,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  }
}
