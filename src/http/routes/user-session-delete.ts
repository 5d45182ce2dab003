import { FluxgateError } from '../../errors/index.js'
import { empty } from '../replies.js'
import type { Route } from '../route.js'
import { recordUserChange, userIdParam } from './internal/user-lookup.js'
import { sessionsOf } from './internal/user-replies.js'

/**
 * `DELETE /api/v3/users/{id}/sessions/{sessionId}`: ends one session of the user; its access
 * and refresh tokens are refused from the next request on. Everyone may end their own.
 */
export const userSessionDelete: Route = {
  method: 'DELETE',
  path: '/api/v3/users/{id}/sessions/{sessionId}',
  access: { kind: 'scoped' },
  handle(request, context) {
    const sessions = sessionsOf(context)
    const userId = userIdParam(request)
    request.authorize({ kind: 'user', action: 'update', userId })

    const sessionId = request.params.sessionId ?? ''
    const live = sessions.sessionsOf(userId).some((session) => session.id === sessionId)
    if (!live) throw new FluxgateError('ERR_SESSION_NOT_FOUND')

    sessions.endSession(sessionId, 'ended_by_request')
    recordUserChange(request, context, { action: 'session_end', userId, detail: 'one session' })
    return Promise.resolve(empty(204))
  },
}
