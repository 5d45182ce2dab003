import { FluxgateError } from '../../errors/index.js'
import { contentTypeOf, negotiateFormat, writeQueryResult } from '../../query/index.js'
import type { ResultColumn } from '../../storage/index.js'
import type { Route } from '../route.js'
import { booleanParam } from './internal/query-params.js'
import { describeAccess } from './internal/database-access.js'
import { tableResult } from './internal/table-result.js'

/** `GET /api/v3/configure/database?format=…`: the databases, sorted by name. */
export const databaseList: Route = {
  method: 'GET',
  path: '/api/v3/configure/database',
  access: { kind: 'scoped' },
  handle(request, context) {
    const formatText = request.query.get('format')
    if (formatText === null)
      throw new FluxgateError('ERR_BAD_QUERY_STRING', 'missing field `format`')
    const format = negotiateFormat(formatText, undefined)
    const includeDeleted = booleanParam(request.query, 'show_deleted', false)

    const databases = context.databases.catalog
      .listDatabases({ includeDeleted })
      // Listing shows a database only to those who may `describe` it; `_internal` to admins.
      .filter((db) => request.mayAccess(describeAccess(db)))
    const columns: ResultColumn[] = [{ name: 'iox::database', type: 'string' }]
    if (includeDeleted) columns.push({ name: 'deleted', type: 'boolean' })
    const rows = databases.map((db) =>
      includeDeleted ? [db.name, db.deletedAt !== undefined] : [db.name],
    )
    const result = tableResult(columns, rows)

    if (format === 'parquet') {
      throw new FluxgateError('ERR_BAD_REQUEST', 'parquet is not available for this listing')
    }
    return Promise.resolve({
      status: 200,
      headers: { 'content-type': contentTypeOf(format) },
      stream: (write) => writeQueryResult(result, format, { write }),
    })
  },
}
