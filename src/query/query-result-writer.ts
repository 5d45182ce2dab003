import { FluxgateError } from '../errors/index.js'
import type { QueryResult, ResultColumn } from '../storage/types.js'
import { csvEncoder } from './internal/csv-rows-encoder.js'
import { jsonArrayEncoder, jsonLinesEncoder } from './internal/json-rows-encoder.js'
import { prettyTableEncoder } from './internal/pretty-table-encoder.js'
import type { RowsEncoder } from './internal/rows-encoder.js'
import type { QueryFormat } from './query-format-negotiator.js'
import type { ResultSink } from './result-sink.js'

/** The formats rendered as text; Parquet comes as a whole file from storage instead. */
export type TextQueryFormat = Exclude<QueryFormat, 'parquet'>

/**
 * Streams `result` into `sink` in the body shape InfluxDB 3 gives `format` (json, jsonl, csv or
 * pretty), batch by batch and waiting on the sink between batches. Only the pretty table holds
 * its cells until the end, since its column widths depend on every row.
 *
 * Throws FluxgateError ERR_QUERY_CANCELLED when `signal` aborts or the sink's destination goes
 * away; either way the batch iterator is closed, which stops the query.
 *
 * @example
 * const result = await storage.query(rewriteInfluxSql(sql), params, signal)
 * await writeQueryResult(result, 'csv', writableSink(response), signal)
 * response.end()
 */
export async function writeQueryResult(
  result: QueryResult,
  format: TextQueryFormat,
  sink: ResultSink,
  signal?: AbortSignal,
): Promise<void> {
  const encoder = encoderFor(format, result.columns)

  for await (const batch of result.batches) {
    throwIfCancelled(signal)
    await send(sink, encoder.encodeBatch(batch))
  }

  throwIfCancelled(signal)
  await send(sink, encoder.finish())
}

function encoderFor(format: TextQueryFormat, columns: ResultColumn[]): RowsEncoder {
  switch (format) {
    case 'json':
      return jsonArrayEncoder(columns)
    case 'jsonl':
      return jsonLinesEncoder(columns)
    case 'csv':
      return csvEncoder(columns)
    case 'pretty':
      return prettyTableEncoder(columns)
  }
}

async function send(sink: ResultSink, text: string): Promise<void> {
  if (text !== '') await sink.write(text)
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted !== true) return

  throw new FluxgateError('ERR_QUERY_CANCELLED', 'the query was cancelled', {
    cause: signal.reason,
  })
}
