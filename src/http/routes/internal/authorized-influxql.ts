import type { InfluxqlQuery } from '../../../data/index.js'
import type { DatabaseRule } from '../../../influxql/index.js'
import type { QueryParams } from '../../../storage/index.js'
import type { RouteRequest } from '../../route.js'
import type { ServerContext } from '../../server-context.js'
import { databaseAccess, describeAccess } from './database-access.js'

/** What an InfluxQL request asks: the query text, the `db` parameter and bind parameters. */
export interface InfluxqlRequestParts {
  q: string
  db: string | undefined
  params: QueryParams
}

/**
 * Parses the query and authorizes read access to the one database it reads, which may be named
 * inside the query and so is known only once it is parsed; SHOW DATABASES reads none and lists
 * only what the caller may describe. Throws the parse errors, ERR_INFLUXQL_NO_DATABASE and
 * ERR_AUTH_FORBIDDEN.
 */
export function authorizedInfluxql(
  request: RouteRequest,
  context: ServerContext,
  parts: InfluxqlRequestParts,
  rule: DatabaseRule,
): InfluxqlQuery {
  const target = context.queries.influxqlTarget(parts.q, parts.db, rule)
  if (target.database !== undefined) {
    request.authorize(databaseAccess(context, target.database, ['read']))
  }

  return {
    target,
    params: parts.params,
    signal: request.signal,
    canDescribe: (db) => request.mayAccess(describeAccess(db)),
  }
}
