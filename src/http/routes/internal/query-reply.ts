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
  const count = (outcome: 'ok' | 'error') =>
    context.metrics.queries.inc({ language: query.language, outcome })
  const headers = { 'content-type': contentTypeOf(format) }

  try {
    if (format === 'parquet') {
      const body = await query.parquet()
      count('ok')
      return { status: 200, headers, body }
    }

    const result = await query.rows()
    count('ok')
    return {
      status: 200,
      headers,
      stream: (write) => writeQueryResult(result, format, { write }, request.signal),
    }
  } catch (error) {
    count('error')
    throw error
  }
}
