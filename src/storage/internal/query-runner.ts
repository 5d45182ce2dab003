import type { DuckDBResult } from '@duckdb/node-api'

import type { QueryParams } from '../storage-engine.js'
import type { QueryResult, ResultBatch } from '../types.js'
import { columnOrigins } from './column-origins.js'
import { bindParams } from './query-params-binder.js'
import { QuerySession } from './query-session.js'
import type { QueryHost } from './query-session.js'
import { prepareReadOnly } from './read-only-classifier.js'
import { resultLayout, toResultBatch } from './result-batch-codec.js'
import type { ResultLayout } from './result-batch-codec.js'
import { checkStreamEnded } from './stream-end-check.js'
import type { TableSchemaStore } from './table-schema-store.js'

/**
 * Runs one read-only statement and streams its result: DuckDB produces each chunk only when the
 * caller asks for the next batch, so a result never has to fit in memory.
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
    const origins = columnOrigins(schemas, statement.tokens)
    const layout = resultLayout(result, origins)

    const batches = readBatches(session, result, layout, () =>
      checkStreamEnded(session, statement, params),
    )
    return { columns: layout.columns, batches }
  } catch (error) {
    session.release()
    throw session.failure(error)
  }
}

// Leaving the loop early (break, return, an error) ends the query and frees its connection.
async function* readBatches(
  session: QuerySession,
  result: DuckDBResult,
  layout: ResultLayout,
  checkEnded: () => Promise<void>,
): AsyncGenerator<ResultBatch, void, undefined> {
  try {
    for (;;) {
      const chunk = await session.guard(() => result.fetchChunk())
      if (chunk === null || chunk.rowCount === 0) break

      yield toResultBatch(chunk, layout)
    }
    await checkEnded()
  } finally {
    session.release()
  }
}
