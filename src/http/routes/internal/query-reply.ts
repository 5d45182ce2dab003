import { contentTypeOf, writeQueryResult } from '../../../query/index.js'
import type { QueryFormat } from '../../../query/index.js'
import type { QueryResult } from '../../../storage/index.js'
import type { Reply, RouteRequest } from '../../route.js'
import type { ServerContext } from '../../server-context.js'

/** A query ready to run, in the two ways its answer can be produced. */
export interface RunnableQuery {
  language: 'sql' | 'influxql'
  /** The whole answer as a Parquet file, built by DuckDB. */
  parquet(): Promise<Uint8Array>
  /** The answer as rows, streamed to the client in a text format. */
  rows(): Promise<QueryResult>
}

/**
 * Runs a query of the v3 query endpoints and answers in `format`: Parquet in one piece, the
 * text formats streamed. Each query is counted by language and outcome.
 */
export async function queryReply(
  request: RouteRequest,
  context: ServerContext,
  format: QueryFormat,
  query: RunnableQuery,
): Promise<Reply> {
  const headers = { 'content-type': contentTypeOf(format) }
  if (format === 'parquet') {
    const body = await countedQuery(context, query.language, () => query.parquet())
    return { status: 200, headers, body }
  }

  const result = await countedQuery(context, query.language, () => query.rows())
  return {
    status: 200,
    headers,
    stream: (write) => writeQueryResult(result, format, { write }, request.signal),
  }
}

/** Runs `run`, counting the query by language and by whether it produced its answer. */
export async function countedQuery<T>(
  context: ServerContext,
  language: 'sql' | 'influxql',
  run: () => Promise<T>,
): Promise<T> {
  try {
    const answer = await run()
    context.metrics.queries.inc({ language, outcome: 'ok' })
    return answer
  } catch (error) {
    context.metrics.queries.inc({ language, outcome: 'error' })
    throw error
  }
}
