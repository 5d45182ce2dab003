import { FluxgateError, isFluxgateError } from '../../errors/index.js'
import { parsePrecision } from '../../lineprotocol/index.js'
import { json } from '../replies.js'
import type { Route } from '../route.js'
import { runWrite } from './internal/write-runner.js'

/** `POST /api/v2/write`: the InfluxDB 2.x write; errors use the v2 `{code, message}` shape. */
export const writeV2: Route = {
  method: 'POST',
  path: '/api/v2/write',
  access: { kind: 'scoped' },
  errorStyle: 'v2',
  async handle(request, context) {
    if (request.rawQuery === undefined || request.rawQuery === '') {
      return json(400, { code: 'invalid', message: 'no org/bucket destination provided' })
    }
    const bucket = request.query.get('bucket')
    if (bucket === null || bucket === '') {
      return json(400, { code: 'invalid', message: 'missing bucket value' })
    }

    const precisionText = request.query.get('precision') ?? undefined
    const precision = parsePrecision(precisionText, 'v1')
    if (precision === undefined) {
      return json(400, { code: 'invalid', message: `invalid precision ${precisionText}` })
    }

    try {
      return await runWrite(request, context, {
        database: bucket,
        precision,
        acceptPartial: false,
        sync: true,
      })
    } catch (error) {
      throw describeLineError(error)
    }
  },
}

/** v2 clients show only `message`, so a refused line is spelled out there. */
function describeLineError(error: unknown): unknown {
  if (!isFluxgateError(error, 'ERR_LINE_PROTOCOL')) return error

  const line = error.data as { line_number?: number } | undefined
  const where = line?.line_number === undefined ? '' : ` (line ${line.line_number})`
  return new FluxgateError(
    'ERR_BAD_REQUEST',
    `line protocol parsing error: ${error.detail ?? ''}${where}`,
  )
}
