import type { WriteRequest } from '../../../data/index.js'
import { FluxgateError, isFluxgateError } from '../../../errors/index.js'
import type { LineError } from '../../../lineprotocol/index.js'
import { json } from '../../replies.js'
import type { Reply, RouteRequest } from '../../route.js'
import type { ServerContext } from '../../server-context.js'
import { decodeUtf8 } from '../../request-body.js'
import { databaseAccess } from './database-access.js'
import { partialWriteStatus, toWireLineError } from './line-errors.js'

/** Reads the body, runs the write, counts lines and renders the reference's answers. */
export async function runWrite(
  request: RouteRequest,
  context: ServerContext,
  params: Omit<WriteRequest, 'body'>,
): Promise<Reply> {
  request.authorize(databaseAccess(context, params.database, ['write']))
  const body = decodeUtf8(await request.body())

  try {
    const outcome = await context.writes.write({ ...params, body })
    context.metrics.linesWritten.inc(outcome.linesWritten)
    context.metrics.linesRejected.inc(outcome.rejected.length)
    if (outcome.rejected.length === 0) return { status: 204 }

    return json(partialWriteStatus(outcome.rejected), {
      error: 'partial write of line protocol occurred',
      data: outcome.rejected.map(toWireLineError),
    })
  } catch (error) {
    throw withWireLineError(error, context)
  }
}

function withWireLineError(error: unknown, context: ServerContext): unknown {
  if (!isFluxgateError(error, 'ERR_LINE_PROTOCOL')) return error

  context.metrics.linesRejected.inc()
  const line = error.data as LineError
  return new FluxgateError('ERR_LINE_PROTOCOL', error.detail, { data: toWireLineError(line) })
}
