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
