/**
 * The `readings` table the large-result benchmarks load: one row per `seq`, a hundred hosts,
 * and times whose every digit down to the nanosecond moves, so a lost digit shows.
 */

/** Rows are written this many to a request; a row count must be a multiple of it. */
export const readingsBatchSize = 5_000
/** Every row of the table, in the order written. */
export const readingsSql = 'SELECT * FROM readings'

const firstTime = 1_700_000_000_123_456_789n
// A step that is not a round number of anything, so that every digit of the fraction moves.
const timeStep = 999_999_937n

/** The time written for row `seq`. */
export function readingTimeOf(seq: number): bigint {
  return firstTime + BigInt(seq) * timeStep
}

/** Line protocol for `rows` rows, one request body at a time. */
export function* readingBatches(rows: number): Generator<string> {
  for (let start = 0; start < rows; start += readingsBatchSize) {
    const lines: string[] = []
    for (let seq = start; seq < start + readingsBatchSize; seq++) {
      const value = (seq % 1000) / 8
      lines.push(`readings,host=host-${seq % 100} value=${value},seq=${seq}i ${readingTimeOf(seq)}`)
    }
    yield lines.join('\n')
  }
}

/** The row count a benchmark was asked for: 1 million by default, a multiple of a request. */
export function parseRows(arg: string | undefined): number {
  const rows = Number(arg ?? 1_000_000)
  if (!Number.isSafeInteger(rows) || rows <= 0 || rows % readingsBatchSize !== 0) {
    throw new Error(`rows must be a positive multiple of ${readingsBatchSize}; got ${arg}`)
  }
  return rows
}

/** The times of a JSON Lines result of `readingsSql`, in nanoseconds, by `seq`. */
export function jsonLinesTimes(body: Uint8Array): Map<number, bigint> {
  const bySeq = new Map<number, bigint>()
  for (const line of new TextDecoder().decode(body).split('\n')) {
    if (line === '') continue

    const row = JSON.parse(line) as { seq: number; time: string }
    bySeq.set(row.seq, nanosOfText(row.time))
  }
  return bySeq
}

// `2023-11-14T22:13:20.123456789`, zone-less UTC: whole seconds by Date, the fraction by hand.
function nanosOfText(text: string): bigint {
  const [seconds = '', fraction = ''] = text.split('.')
  const millis = Date.parse(`${seconds}Z`)
  if (Number.isNaN(millis)) throw new Error(`not a timestamp: ${text}`)

  return BigInt(millis) * 1_000_000n + BigInt(fraction.padEnd(9, '0'))
}

/** How many of the times read back, by `seq`, are exactly the times written. */
export function exactTimes(bySeq: ReadonlyMap<number, bigint>): number {
  let exact = 0
  for (const [seq, nanos] of bySeq) if (nanos === readingTimeOf(seq)) exact++
  return exact
}
