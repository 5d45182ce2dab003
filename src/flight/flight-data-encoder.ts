import { Message, Table, tableToIPC } from 'apache-arrow'
import type { RecordBatch } from 'apache-arrow'

import type { ResultBatch, ResultColumn } from '../storage/index.js'
import { ArrowBatchEncoder } from './arrow-batch-encoder.js'

/** One Arrow IPC message as the `FlightData` of a `DoGet` stream carries it. */
export interface FlightData {
  data_header: Uint8Array
  data_body: Uint8Array
}

// An IPC stream frames each message as 0xFFFFFFFF, the header's length and the header, then
// the body; a zero length marks the end of the stream.
const continuation = 0xffffffff
const prefixBytes = 8

/**
 * Turns a query result into the `FlightData` messages of a `DoGet` answer: the schema message
 * first, then one message per record batch, with no end-of-stream marker (gRPC ends the
 * stream). Each batch is framed by apache-arrow's own IPC writer and cut at message bounds.
 *
 * Each storage chunk (2,048 rows) goes out as its own record batch: joining chunks into larger
 * batches measured slower end to end (bench/flight), as the query then waits while a larger
 * batch is encoded instead of producing the next chunk meanwhile.
 */
export class FlightDataEncoder {
  readonly #batches: ArrowBatchEncoder
  #schemaSent = false

  constructor(columns: readonly ResultColumn[]) {
    this.#batches = new ArrowBatchEncoder(columns)
  }

  /** The messages for one batch; the first call's begin with the schema message. */
  encode(batch: ResultBatch): FlightData[] {
    return this.#messagesOf(new Table(this.#batches.toRecordBatch(batch)))
  }

  /** The schema message, when no batch has carried it yet (an empty result). */
  finish(): FlightData[] {
    if (this.#schemaSent) return []
    return this.#messagesOf(new Table(this.#batches.schema, [] as RecordBatch[]))
  }

  #messagesOf(table: Table): FlightData[] {
    const messages = splitIpcStream(tableToIPC(table, 'stream'))
    const skipSchema = this.#schemaSent
    this.#schemaSent = true
    return skipSchema ? messages.slice(1) : messages
  }
}

/** The messages of an encoded IPC stream, schema first, without the end-of-stream marker. */
export function splitIpcStream(bytes: Uint8Array): FlightData[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const messages: FlightData[] = []

  let offset = 0
  while (offset + prefixBytes <= bytes.byteLength) {
    if (view.getUint32(offset, true) !== continuation) throw new Error('not an Arrow IPC stream')
    const headerLength = view.getInt32(offset + 4, true)
    if (headerLength === 0) break

    const headerStart = offset + prefixBytes
    const data_header = bytes.subarray(headerStart, headerStart + headerLength)
    const bodyStart = headerStart + headerLength
    const bodyEnd = bodyStart + Message.decode(data_header).bodyLength
    messages.push({ data_header, data_body: bytes.subarray(bodyStart, bodyEnd) })
    offset = bodyEnd
  }
  return messages
}
