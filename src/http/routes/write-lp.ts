import { FluxgateError } from '../../errors/index.js'
import { parsePrecision } from '../../lineprotocol/index.js'
import type { Route } from '../route.js'
import { booleanParam, requiredParam } from './internal/query-params.js'
import { runWrite } from './internal/write-runner.js'

/** `POST /api/v3/write_lp`: the v3 line-protocol write, partial by default. */
export const writeLp: Route = {
  method: 'POST',
  path: '/api/v3/write_lp',
  access: { kind: 'scoped' },
  async handle(request, context) {
    if (request.rawQuery === undefined) {
      throw new FluxgateError('ERR_WRITE_MISSING_DB', "missing query parameter 'db'")
    }

    const database = requiredParam(request.query, 'db')
    const precision = parsePrecision(request.query.get('precision') ?? undefined, 'v3')
    if (precision === undefined) {
      throw new FluxgateError(
        'ERR_WRITE_BAD_PARAMS',
        `unknown variant \`${request.query.get('precision')}\``,
      )
    }
    const acceptPartial = booleanParam(request.query, 'accept_partial', true)
    const sync = !booleanParam(request.query, 'no_sync', false)

    return runWrite(request, context, { database, precision, acceptPartial, sync })
  },
}
