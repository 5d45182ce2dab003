import type { PackedLineBatch } from '../line-batch-codec.js'

/** A text for a parser thread to parse. */
export interface ParseRequest {
  id: number
  text: string
}

/** A parser thread's answer: the batch, packed, or why parsing failed. */
export type ParseReply =
  | { id: number; kind: 'packed'; packed: PackedLineBatch }
  | { id: number; kind: 'failed'; message: string }
