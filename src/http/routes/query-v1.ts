import { isFluxgateError } from '../../errors/index.js'
import type { FluxgateError } from '../../errors/index.js'
import { encodeV1Answer, v1StatementError } from '../../influxql/index.js'
import type { StatementKind } from '../../influxql/index.js'
import type { Reply, RouteRequest, Route } from '../route.js'
import type { ServerContext } from '../server-context.js'
import { authorizedInfluxql } from './internal/authorized-influxql.js'
import { countedQuery } from './internal/query-reply.js'
import { readV1QueryRequest } from './internal/v1-query-request.js'

// Errors InfluxDB 1.x reports inside a 200 answer, as the statement's result.
const statementErrors = [
  'ERR_INFLUXQL_INVALID',
  'ERR_QUERY_INVALID',
  'ERR_QUERY_NOT_READ_ONLY',
  'ERR_QUERY_DATABASE_NOT_FOUND',
] as const

async function queryV1(request: RouteRequest, context: ServerContext): Promise<Reply> {
  const parts = await readV1QueryRequest(request)
  const query = authorizedInfluxql(request, context, parts, 'v1')

  try {
    const pieces = await countedQuery(context, 'influxql', async () =>
      encodeV1Answer(await context.queries.influxqlAnswer(query), parts),
    )
    return { status: 200, headers: headersOf(parts.format), body: pieces.join('') }
  } catch (error) {
    const text = statementErrorText(error, query.target.statement.kind)
    if (text === undefined) throw error
    return { status: 200, headers: headersOf('json'), body: v1StatementError(text, parts.pretty) }
  }
}

function headersOf(format: 'json' | 'csv'): Record<string, string> {
  return { 'content-type': format === 'csv' ? 'application/csv' : 'application/json' }
}

/** The v1 wording of an error that belongs in the statement's result; undefined otherwise. */
function statementErrorText(error: unknown, kind: StatementKind): string | undefined {
  const known = statementErrors.find((code) => isFluxgateError(error, code))
  if (known === undefined) return undefined

  const { detail } = error as FluxgateError
  if (known !== 'ERR_QUERY_DATABASE_NOT_FOUND') return detail ?? known
  return kind === 'show-retention-policies'
    ? `datafusion error: Error during planning: database not found: ${detail ?? ''}`
    : `Cannot retrieve database: External error: database not found: ${detail ?? ''}`
}

/** `GET /query`: the InfluxDB 1.x query API. */
export const queryV1Get: Route = {
  method: 'GET',
  path: '/query',
  access: { kind: 'scoped' },
  errorStyle: 'v1-query',
  handle: queryV1,
}

/** `POST /query`: the InfluxDB 1.x query API, from a form or a raw InfluxQL body. */
export const queryV1Post: Route = {
  method: 'POST',
  path: '/query',
  access: { kind: 'scoped' },
  errorStyle: 'v1-query',
  handle: queryV1,
}
