import { actorOf } from '../../../auth/index.js'
import type { RouteRequest } from '../../route.js'
import type { ServerContext } from '../../server-context.js'

/** Records a token's creation, regeneration or deletion in the audit trail: never its secret. */
export function recordTokenEvent(
  request: RouteRequest,
  context: ServerContext,
  event: { action: string; tokenId: number; tokenName: string },
): void {
  context.audit.record({
    action: event.action,
    outcome: 'success',
    actor: actorOf(request.principal),
    target: `token:${event.tokenId}`,
    clientAddress: request.remoteAddress,
    detail: event.tokenName,
  })
}
