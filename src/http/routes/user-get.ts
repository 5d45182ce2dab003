import { json } from '../replies.js'
import type { Route } from '../route.js'
import { activeUser, userIdParam } from './internal/user-lookup.js'
import { sessionsOf, userResponse } from './internal/user-replies.js'

/** `GET /api/v3/users/{id}`: one user; everyone may read their own account. */
export const userGet: Route = {
  method: 'GET',
  path: '/api/v3/users/{id}',
  access: { kind: 'scoped' },
  handle(request, context) {
    sessionsOf(context)
    const userId = userIdParam(request)
    request.authorize({ kind: 'user', action: 'read', userId })

    return Promise.resolve(json(200, userResponse(activeUser(context, userId))))
  },
}
