import { FluxgateError } from '../../errors/index.js'
import { empty } from '../replies.js'
import type { Route } from '../route.js'
import { databaseAccess } from './internal/database-access.js'
import { requiredParam } from './internal/query-params.js'

/** `DELETE /api/v3/configure/table?db=…&table=…`: removes a table and its data. */
export const tableDelete: Route = {
  method: 'DELETE',
  path: '/api/v3/configure/table',
  access: { kind: 'scoped' },
  async handle(request, context) {
    if (request.rawQuery === undefined) {
      throw new FluxgateError('ERR_BAD_REQUEST', "missing query parameters 'db' and 'table'")
    }

    const db = requiredParam(request.query, 'db')
    request.authorize(databaseAccess(context, db, ['delete']))
    await context.databases.deleteTable(db, requiredParam(request.query, 'table'))
    return empty(200)
  },
}
