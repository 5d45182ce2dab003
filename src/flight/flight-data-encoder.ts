import { RecordBatchStreamWriter } from 'apache-arrow'
import type { RecordBatch, Schema } from 'apache-arrow'

import type { ResultBatch, ResultColumn } from '../storage/index.js'
import { ArrowBatchEncoder } from './arrow-batch-encoder.js'

/** One Arrow IPC message as the `FlightData` of a `DoGet` stream carries it. */
export interface FlightData {
  data_header: Uint8Array
  data_body: Uint8Array
}

// An IPC stream frames each message as 0xFFFFFFFF, the header's length and the header (padded
// to 8 bytes), then the body.
const continuation = 0xffffffff
const prefixBytes = 8

/**
 * Turns a query result into the `FlightData` messages of a `DoGet` answer: the schema message
 * first, then one message per record batch, with no end-of-stream marker (gRPC ends the
 * stream). Each message is framed by apache-arrow's own IPC stream writer. The schema message
 * is encoded once, and batches are written without it.
 *
 * Each storage chunk (2,048 rows) goes out as its own record batch: joining chunks into larger
 * batches measured slower end to end (bench/flight), as the query then waits while a larger
 * batch is encoded instead of producing the next chunk meanwhile.
 */
export class FlightDataEncoder {
  readonly #batches: ArrowBatchEncoder
  readonly #schemaMessage: FlightData
  #schemaSent = false

  constructor(columns: readonly ResultColumn[]) {
    this.#batches = new ArrowBatchEncoder(columns)
    this.#schemaMessage = schemaMessageOf(this.#batches.schema)
  }

  /** The messages for one batch; the first call's begin with the schema message. */
  encode(batch: ResultBatch): FlightData[] {
    return this.#afterSchema(recordBatchMessageOf(this.#batches.toRecordBatch(batch)))
  }

  /** The schema message, when no batch has carried it yet (an empty result). */
  finish(): FlightData[] {
    return this.#afterSchema()
  }

  #afterSchema(...messages: FlightData[]): FlightData[] {
    if (this.#schemaSent) return messages
    this.#schemaSent = true
    return [this.#schemaMessage, ...messages]
  }
}

// The writer writes the schema when it meets the first batch; this one leaves it out, since
// the encoder sends its own copy once.
class BatchOnlyWriter extends RecordBatchStreamWriter {
  protected override _writeSchema(): this {
    return this
  }
}

function schemaMessageOf(schema: Schema): FlightData {
  return messageOf(new RecordBatchStreamWriter().reset(undefined, schema).toUint8Array(true))
}

// A writer per batch: a long-lived one would keep a block entry for every batch it wrote.
function recordBatchMessageOf(batch: RecordBatch): FlightData {
  const writer = new BatchOnlyWriter()
  writer.write(batch)
  return messageOf(writer.toUint8Array(true))
}

/** The one message of `bytes`, as written by the stream writer before it is closed. */
function messageOf(bytes: Uint8Array): FlightData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(0, true) !== continuation) throw new Error('not an Arrow IPC message')

  const bodyStart = prefixBytes + view.getInt32(4, true)
  return {
    data_header: bytes.subarray(prefixBytes, bodyStart),
    data_body: bytes.subarray(bodyStart),
  }
}
