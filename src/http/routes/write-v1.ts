import { withRetentionPolicy } from '../../catalog/index.js'
import { parsePrecision } from '../../lineprotocol/index.js'
import { json } from '../replies.js'
import type { Route } from '../route.js'
import { runWrite } from './internal/write-runner.js'

/** `POST /write`: the InfluxDB 1.x write, all lines or none. */
export const writeV1: Route = {
  method: 'POST',
  path: '/write',
  access: { kind: 'scoped' },
  async handle(request, context) {
    const db = request.query.get('db')
    if (db === null || db === '') return json(400, { error: 'no db destination provided' })

    const precisionText = request.query.get('precision') ?? undefined
    const precision = parsePrecision(precisionText, 'v1')
    if (precision === undefined) {
      return json(400, {
        error: `failed to deserialize db/rp/precision in request: unknown precision ${precisionText}`,
      })
    }

    const database = withRetentionPolicy(db, request.query.get('rp'))
    return runWrite(request, context, { database, precision, acceptPartial: false, sync: true })
  },
}
