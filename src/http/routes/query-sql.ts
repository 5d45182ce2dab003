import { contentTypeOf, negotiateFormat, writeQueryResult } from '../../query/index.js'
import type { Reply, RouteRequest, Route } from '../route.js'
import type { ServerContext } from '../server-context.js'
import { databaseAccess } from './internal/database-access.js'
import { readQueryRequest } from './internal/query-request.js'

async function querySql(request: RouteRequest, context: ServerContext): Promise<Reply> {
  const parts = await readQueryRequest(request)
  request.authorize(databaseAccess(context, parts.db, ['read']))
  const format = negotiateFormat(parts.format, request.headers.accept)
  const query = { database: parts.db, sql: parts.q, params: parts.params, signal: request.signal }

  try {
    if (format === 'parquet') {
      const bytes = await context.queries.sqlParquet(query)
      context.metrics.queries.inc({ language: 'sql', outcome: 'ok' })
      return { status: 200, headers: { 'content-type': contentTypeOf(format) }, body: bytes }
    }

    const result = await context.queries.sql(query)
    context.metrics.queries.inc({ language: 'sql', outcome: 'ok' })
    return {
      status: 200,
      headers: { 'content-type': contentTypeOf(format) },
      stream: (write) => writeQueryResult(result, format, { write }, request.signal),
    }
  } catch (error) {
    context.metrics.queries.inc({ language: 'sql', outcome: 'error' })
    throw error
  }
}

/** `GET /api/v3/query_sql`: SQL from URL parameters. */
export const querySqlGet: Route = {
  method: 'GET',
  path: '/api/v3/query_sql',
  access: { kind: 'scoped' },
  handle: querySql,
}

/** `POST /api/v3/query_sql`: SQL from a JSON body. */
export const querySqlPost: Route = {
  method: 'POST',
  path: '/api/v3/query_sql',
  access: { kind: 'scoped' },
  handle: querySql,
}
