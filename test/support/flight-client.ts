import { Client, Metadata, credentials } from '@grpc/grpc-js'
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js'
import { RecordBatchReader } from 'apache-arrow'
import type { RecordBatch } from 'apache-arrow'

import { flightServiceDefinition } from '../../src/flight/index.js'
import type { FlightData } from '../../src/flight/index.js'

/** The ticket the InfluxDB 3 clients send, or any other bytes. */
export type TicketBody = Record<string, unknown> | string

/** What a whole `DoGet` stream brought: its messages, and its error status if it failed. */
export interface DoGetOutcome {
  messages: FlightData[]
  error: ServiceError | undefined
}

/** A raw gRPC client of the Flight service, for what the official client cannot send. */
export class FlightTestClient {
  readonly #client: Client

  constructor(url: string) {
    this.#client = new Client(new URL(url).host, credentials.createInsecure())
  }

  /** Starts `DoGet` with `metadata` as given (keys and values untouched). */
  doGet(
    ticket: TicketBody,
    metadata: Record<string, string> = {},
  ): ClientReadableStream<FlightData> {
    const method = flightServiceDefinition().DoGet
    if (method === undefined) throw new Error('no DoGet in flight.proto')

    const text = typeof ticket === 'string' ? ticket : JSON.stringify(ticket)
    const meta = new Metadata()
    for (const [key, value] of Object.entries(metadata)) meta.add(key, value)
    return this.#client.makeServerStreamRequest(
      method.path,
      method.requestSerialize,
      (bytes: Buffer) => method.responseDeserialize(bytes) as FlightData,
      { ticket: Buffer.from(text) },
      meta,
    )
  }

  /** Runs `DoGet` to its end. */
  collect(ticket: TicketBody, metadata?: Record<string, string>): Promise<DoGetOutcome> {
    return readAll(this.doGet(ticket, metadata))
  }

  close(): void {
    this.#client.close()
  }
}

/** The metadata the v3 client sends for `token`. */
export function bearer(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` }
}

/** Reads a stream to its end or its error. */
export function readAll(stream: ClientReadableStream<FlightData>): Promise<DoGetOutcome> {
  const messages: FlightData[] = []
  return new Promise((resolve) => {
    stream.on('data', (message: FlightData) => messages.push(message))
    stream.on('error', (error: ServiceError) => resolve({ messages, error }))
    stream.on('end', () => resolve({ messages, error: undefined }))
  })
}

/** Decodes FlightData messages as the v3 client does: prefix, header and body of each. */
export function decodeBatches(messages: readonly FlightData[]): RecordBatch[] {
  function* ipcStream() {
    for (const { data_header, data_body } of messages) {
      const prefix = Buffer.alloc(8)
      prefix.writeUInt32LE(0xffffffff, 0)
      prefix.writeInt32LE(data_header.byteLength, 4)
      yield prefix
      yield data_header
      yield data_body
    }
  }
  return [...RecordBatchReader.from(ipcStream())].filter((batch) => batch.numRows > 0)
}

/** The exact nanoseconds of a timestamp column across batches (Vector.get rounds to ms). */
export function nanosOf(batches: readonly RecordBatch[], column = 'time'): bigint[] {
  return batches.flatMap((batch) =>
    (batch.getChild(column)?.data ?? []).flatMap((data) => {
      if (!(data.values instanceof BigInt64Array)) throw new Error(`${column} is not int64-based`)
      return [...data.values.subarray(data.offset, data.offset + data.length)]
    }),
  )
}

/** The values of one column across batches, as apache-arrow reads them. */
export function valuesOf(batches: readonly RecordBatch[], column: string): unknown[] {
  return batches.flatMap((batch) => {
    const vector = batch.getChild(column)
    if (vector === null) throw new Error(`no column ${column}`)
    return Array.from({ length: batch.numRows }, (_, row) => vector.get(row) as unknown)
  })
}
