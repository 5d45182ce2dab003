import { json } from '../replies.js'
import type { Route } from '../route.js'
import { recordUserChange, userIdParam } from './internal/user-lookup.js'
import { sessionsOf, userResponse } from './internal/user-replies.js'

/**
 * `DELETE /api/v3/users/{id}`: deletes a user, keeping the record (`deletedAt` set) and freeing
 * the username. Every session of the user ends at once, and the tokens the user created are
 * refused from the next request on. The last admin cannot be deleted (409).
 */
export const userDelete: Route = {
  method: 'DELETE',
  path: '/api/v3/users/{id}',
  access: { kind: 'scoped' },
  handle(request, context) {
    const sessions = sessionsOf(context)
    const userId = userIdParam(request)
    // No `userId`: deleting one's own account takes the same right as deleting anyone's.
    request.authorize({ kind: 'user', action: 'delete', userId: undefined })

    const user = context.users.delete(userId, context.clock.now())
    sessions.endUserSessions(userId, 'user_deleted')

    recordUserChange(request, context, { action: 'user_delete', userId })
    return Promise.resolve(json(200, userResponse(user)))
  },
}
