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

/** The contenders of `timeTurns`, one run of each. */
export type Contenders<T extends readonly unknown[]> = { [K in keyof T]: () => Promise<T[K]> }

/** Each contender's timed runs, in the order of the contenders. */
export type TimedRuns<T extends readonly unknown[]> = { [K in keyof T]: Array<Timed<T[K]>> }

/**
 * Times contenders taking turns: `plan.warmups` untimed rounds of one run each, then
 * `plan.runs` rounds, each started by the next contender, so that none always runs first. On a
 * shared machine the load drifts; runs close in time see about the same load, so taking turns
 * keeps the drift out of the comparison.
 */
export async function timeTurns<T extends readonly unknown[]>(
  plan: RunPlan,
  contenders: Contenders<T>,
): Promise<TimedRuns<T>> {
  const runs: ReadonlyArray<() => Promise<unknown>> = contenders
  for (let round = 0; round < plan.warmups; round++) for (const run of runs) await run()

  const timed = runs.map((): Array<Timed<unknown>> => [])
  for (let round = 0; round < plan.runs; round++) {
    for (let turn = 0; turn < runs.length; turn++) {
      const index = (round + turn) % runs.length
      const run = runs[index]
      if (run !== undefined) timed[index]?.push(await timeOnce(run))
    }
  }
  return timed as TimedRuns<T>
}

/** `timeTurns` for two contenders: pairs of runs, first one then the other going first. */
export async function timePairs<A, B>(
  plan: RunPlan,
  first: () => Promise<A>,
  second: () => Promise<B>,
): Promise<{ first: Array<Timed<A>>; second: Array<Timed<B>> }> {
  const [timedFirst, timedSecond] = await timeTurns<[A, B]>(plan, [first, second])
  return { first: timedFirst, second: timedSecond }
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
