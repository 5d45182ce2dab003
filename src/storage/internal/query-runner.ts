import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api'

import type { QueryParams } from '../storage-engine.js'
import type { QueryResult, ResultBatch } from '../types.js'
import { columnOrigins } from './column-origins.js'
import { bindParams } from './query-params-binder.js'
import { QuerySession } from './query-session.js'
import type { QueryHost } from './query-session.js'
import { prepareReadOnly } from './read-only-classifier.js'
import type { ReadOnlyStatement } from './read-only-classifier.js'
import { resultLayout, toResultBatch } from './result-batch-codec.js'
import type { ResultLayout } from './result-batch-codec.js'
import { checkStreamEnded } from './stream-end-check.js'
import type { TableSchemaStore } from './table-schema-store.js'

/** A running query and what reading its result needs. */
interface StreamedQuery {
  session: QuerySession
  statement: ReadOnlyStatement
  result: DuckDBResult
  layout: ResultLayout
  params: QueryParams
}

/**
 * Runs one read-only statement and streams its result: DuckDB produces each chunk only when the
 * caller is about to need it, so a result never has to fit in memory.
 */
export async function runQuery(
  host: QueryHost,
  schemas: TableSchemaStore,
  sql: string,
  params: QueryParams,
  signal?: AbortSignal,
): Promise<QueryResult> {
  const session = await QuerySession.start(host, signal)
  try {
    const statement = await prepareReadOnly(session.connection, sql)
    bindParams(statement.prepared, params)

    const result = await session.guard(() => statement.prepared.stream())
    const layout = resultLayout(result, columnOrigins(schemas, statement.tokens))

    const batches = readBatches({ session, statement, result, layout, params })
    return { columns: layout.columns, batches }
  } catch (error) {
    session.release()
    throw session.failure(error)
  }
}

// While one batch is converted and written, DuckDB already produces the next chunk. Leaving the
// loop early (break, return, an error) ends the query and frees its connection; only a result
// read to its checked end leaves the connection for the next query.
async function* readBatches(query: StreamedQuery): AsyncGenerator<ResultBatch, void, undefined> {
  const { session, layout } = query
  let next = fetchChunk(query)
  let complete = false
  try {
    for (let chunk = await next; chunk !== null && chunk.rowCount > 0; chunk = await next) {
      next = fetchChunk(query)
      yield toResultBatch(chunk, layout)
    }
    await checkStreamEnded(session, query.statement, query.params)
    complete = true
  } finally {
    await finishReading(query, next, complete)
  }
}

// A rejection is noticed when the loop awaits the chunk; until then it must not count as
// unhandled, as the caller may take a while over the previous batch.
function fetchChunk({ session, result }: StreamedQuery): Promise<DuckDBDataChunk | null> {
  const chunk = session.guard(() => result.fetchChunk())
  chunk.catch(() => undefined)
  return chunk
}

// A fetch may still be in flight when reading stops early: it is interrupted, and the connection
// closes only once it has settled.
async function finishReading(
  query: StreamedQuery,
  next: Promise<unknown>,
  complete: boolean,
): Promise<void> {
  if (!complete) query.session.interrupt()
  await next.catch(() => undefined)

  query.statement.prepared.destroySync()
  if (complete) query.session.recycle()
  else query.session.release()
}
