import { json } from '../replies.js'
import type { Route } from '../route.js'
import { activeUser, userIdParam } from './internal/user-lookup.js'
import { sessionResponse, sessionsOf } from './internal/user-replies.js'

/**
 * `GET /api/v3/users/{id}/sessions`: the user's live sessions, newest first; `current` marks
 * the one the request itself comes from. Everyone may list their own.
 */
export const userSessionsList: Route = {
  method: 'GET',
  path: '/api/v3/users/{id}/sessions',
  access: { kind: 'scoped' },
  handle(request, context) {
    const sessions = sessionsOf(context)
    const userId = userIdParam(request)
    request.authorize({ kind: 'user', action: 'read', userId })
    activeUser(context, userId)

    const current = request.principal.kind === 'user' ? request.principal.sessionId : undefined
    const items = sessions.sessionsOf(userId).map((session) => sessionResponse(session, current))
    return Promise.resolve(json(200, { items }))
  },
}
