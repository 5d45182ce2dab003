import type { InfluxqlQuery } from '../../data/index.js'
import { negotiateFormat } from '../../query/index.js'
import type { Reply, RouteRequest, Route } from '../route.js'
import type { ServerContext } from '../server-context.js'
import { databaseAccess, describeAccess } from './internal/database-access.js'
import { queryReply } from './internal/query-reply.js'
import { readInfluxqlRequest } from './internal/query-request.js'

async function queryInfluxql(request: RouteRequest, context: ServerContext): Promise<Reply> {
  const parts = await readInfluxqlRequest(request)
  const format = negotiateFormat(parts.format, request.headers.accept)
  // The database may be named inside the query, so it is known only once the query is parsed.
  const target = context.queries.influxqlTarget(parts.q, parts.db, 'v3')
  if (target.database !== undefined) {
    request.authorize(databaseAccess(context, target.database, ['read']))
  }
  const query: InfluxqlQuery = {
    target,
    params: parts.params,
    signal: request.signal,
    canDescribe: (db) => request.mayAccess(describeAccess(db)),
  }

  return queryReply(request, context, format, {
    language: 'influxql',
    parquet: () => context.queries.influxqlParquet(query),
    rows: () => context.queries.influxql(query),
  })
}

/** `GET /api/v3/query_influxql`: InfluxQL from URL parameters. */
export const queryInfluxqlGet: Route = {
  method: 'GET',
  path: '/api/v3/query_influxql',
  access: { kind: 'scoped' },
  handle: queryInfluxql,
}

/** `POST /api/v3/query_influxql`: InfluxQL from a JSON body. */
export const queryInfluxqlPost: Route = {
  method: 'POST',
  path: '/api/v3/query_influxql',
  access: { kind: 'scoped' },
  handle: queryInfluxql,
}
