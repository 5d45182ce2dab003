import { negotiateFormat } from '../../query/index.js'
import type { Reply, RouteRequest, Route } from '../route.js'
import type { ServerContext } from '../server-context.js'
import { databaseAccess } from './internal/database-access.js'
import { queryReply } from './internal/query-reply.js'
import { readQueryRequest } from './internal/query-request.js'

async function querySql(request: RouteRequest, context: ServerContext): Promise<Reply> {
  const parts = await readQueryRequest(request)
  request.authorize(databaseAccess(context, parts.db, ['read']))
  const format = negotiateFormat(parts.format, request.headers.accept)
  const query = { database: parts.db, sql: parts.q, params: parts.params, signal: request.signal }

  return queryReply(request, context, format, {
    language: 'sql',
    parquet: () => context.queries.sqlParquet(query),
    rows: () => context.queries.sql(query),
  })
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
