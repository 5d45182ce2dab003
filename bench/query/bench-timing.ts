/** How many untimed runs come first, then how many timed ones. */
export interface RunPlan {
  warmups: number
  runs: number
}

/** One timed run and what it returned. */
export interface Timed<T> {
  ms: number
  value: T
}

/**
 * Times two contenders in pairs, `plan.runs` of them after `plan.warmups` untimed pairs, and
 * swaps which one goes first from pair to pair. On a shared machine the load drifts; runs close
 * in time see about the same load, so pairing keeps the drift out of the comparison.
 */
export async function timePairs<A, B>(
  plan: RunPlan,
  first: () => Promise<A>,
  second: () => Promise<B>,
): Promise<{ first: Array<Timed<A>>; second: Array<Timed<B>> }> {
  for (let i = 0; i < plan.warmups; i++) {
    await first()
    await second()
  }

  const timed = { first: [] as Array<Timed<A>>, second: [] as Array<Timed<B>> }
  for (let i = 0; i < plan.runs; i++) {
    if (i % 2 === 0) {
      timed.first.push(await timeOnce(first))
      timed.second.push(await timeOnce(second))
    } else {
      timed.second.push(await timeOnce(second))
      timed.first.push(await timeOnce(first))
    }
  }
  return timed
}

async function timeOnce<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now()
  const value = await run()
  return { ms: performance.now() - started, value }
}

/** The median of `values`; the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const high = sorted[middle] ?? Number.NaN
  if (sorted.length % 2 === 1) return high

  return ((sorted[middle - 1] ?? Number.NaN) + high) / 2
}

/** Milliseconds: one decimal under 10 ms, none from there on. */
export function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(1) : ms.toFixed(0)
}

/** A whole number with thousands separators. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US')
}

/** A Markdown table of `rows` under `header`. */
export function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`

  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}
