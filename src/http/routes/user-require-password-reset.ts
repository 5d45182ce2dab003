import { json } from '../replies.js'
import type { Route } from '../route.js'
import { recordUserChange, userIdParam } from './internal/user-lookup.js'
import { sessionsOf, userResponse } from './internal/user-replies.js'

/**
 * `POST /api/v3/users/{id}/require-password-reset`: the user must choose a new password before
 * signing in again, and every session of the user ends at once.
 */
export const userRequirePasswordReset: Route = {
  method: 'POST',
  path: '/api/v3/users/{id}/require-password-reset',
  access: { kind: 'scoped' },
  handle(request, context) {
    const sessions = sessionsOf(context)
    const userId = userIdParam(request)
    request.authorize({ kind: 'user', action: 'update', userId: undefined })

    const changes = { requiresPasswordReset: true }
    const user = context.users.update(userId, changes, context.clock.now())
    sessions.endUserSessions(userId, 'password_reset_required')

    recordUserChange(request, context, { action: 'password_reset_required', userId })
    return Promise.resolve(json(200, userResponse(user)))
  },
}
