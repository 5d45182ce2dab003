import { promisify } from 'node:util'
import { gzip } from 'node:zlib'

import { ServerError } from './http-client.js'
import type { HttpClient, HttpRequest } from './http-client.js'
import { shiftLineErrors } from './line-errors.js'
import type { LineError } from './line-errors.js'
import type { LineProtocolBatch } from './line-protocol-splitter.js'
import type { ProgressBar } from './progress-bar.js'

/** The timestamp precisions `write_lp` accepts from the command line. */
export const precisions = ['auto', 's', 'ms', 'us', 'ns'] as const

/** One of `precisions`. */
export type Precision = (typeof precisions)[number]

/** What every write request carries besides its body. */
export interface WriteSettings {
  readonly database: string
  readonly precision?: Precision
  readonly acceptPartial: boolean
  readonly noSync: boolean
  readonly gzip: boolean
}

/** Where batches go and who watches. */
export interface BatchWriter {
  readonly client: HttpClient
  readonly settings: WriteSettings
  readonly progress: ProgressBar
}

const gzipAsync = promisify(gzip)

/**
 * Sends each batch in its own request, in order. A batch with rejected lines does not stop the
 * rest, so the outcome matches one large request: the valid lines are all written and the
 * rejected ones are reported together at the end, numbered from the top of the input. Any other
 * failure stops the write and says how many requests had already been written.
 * @throws ServerError for rejected lines or a failed request.
 * @throws Error when the server is out of reach.
 */
export async function writeBatches(
  batches: AsyncIterable<LineProtocolBatch>,
  writer: BatchWriter,
): Promise<void> {
  let sent = 0
  let linesBefore = 0
  let partial: ServerError | undefined
  const rejected: LineError[] = []

  for await (const batch of batches) {
    try {
      await writeBatch(batch.bytes, writer)
    } catch (error) {
      // The CLI never sends accept_partial=false, so rejected lines mean the rest was written.
      if (!(error instanceof ServerError) || error.lines.length === 0) {
        throw sent === 0 ? error : afterEarlierRequests(error, sent)
      }
      partial ??= error
      rejected.push(...shiftLineErrors(error.lines, linesBefore))
    }
    sent += 1
    linesBefore += batch.lines
    writer.progress.advance(batch.bytes.length)
  }

  // Empty input still goes to the server, which answers it with its own message.
  if (sent === 0) await writeBatch(Buffer.alloc(0), writer)
  if (partial !== undefined) throw new ServerError(partial.status, partial.message, rejected)
}

async function writeBatch(bytes: Uint8Array, writer: BatchWriter): Promise<void> {
  await writer.client.call(await buildWriteRequest(bytes, writer.settings))
}

function afterEarlierRequests(error: unknown, sent: number): unknown {
  if (!(error instanceof ServerError)) return error

  const written = sent === 1 ? 'the first request was' : `the first ${sent} requests were`
  return new ServerError(error.status, `${error.message} (${written} written)`, error.lines)
}

/**
 * The request that writes `bytes` with `settings`. `precision`, `accept_partial` and `no_sync`
 * are sent only when set, leaving the server's defaults otherwise.
 */
export async function buildWriteRequest(
  bytes: Uint8Array,
  settings: WriteSettings,
): Promise<HttpRequest> {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' }
  if (settings.gzip) headers['content-encoding'] = 'gzip'

  return {
    method: 'POST',
    path: '/api/v3/write_lp',
    query: {
      db: settings.database,
      precision: settings.precision,
      accept_partial: settings.acceptPartial ? 'true' : undefined,
      no_sync: settings.noSync ? 'true' : undefined,
    },
    body: settings.gzip ? await gzipAsync(bytes) : bytes,
    headers,
  }
}
