import type { ResultBatch } from '../../storage/types.js'

/**
 * Turns a result into body text one batch at a time. An encoder keeps only the state its format
 * needs between batches; the empty text means there is nothing to send yet.
 */
export interface RowsEncoder {
  /** The text for the rows of one batch. */
  encodeBatch(batch: ResultBatch): string
  /** The text that closes the body after the last batch. */
  finish(): string
}
