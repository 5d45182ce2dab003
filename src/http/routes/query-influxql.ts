import { negotiateFormat } from '../../query/index.js'
import type { Reply, RouteRequest, Route } from '../route.js'
import type { ServerContext } from '../server-context.js'
import { authorizedInfluxql } from './internal/authorized-influxql.js'
import { queryReply } from './internal/query-reply.js'
import { readInfluxqlRequest } from './internal/query-request.js'

async function queryInfluxql(request: RouteRequest, context: ServerContext): Promise<Reply> {
  const parts = await readInfluxqlRequest(request)
  const format = negotiateFormat(parts.format, request.headers.accept)
  const query = authorizedInfluxql(request, context, parts, 'v3')

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
