import { json } from '../replies.js'
import type { Route } from '../route.js'
import { activeUser, userIdParam } from './internal/user-lookup.js'
import { roleResponse, rolesOfUser, sessionsOf } from './internal/user-replies.js'

/** `GET /api/v3/users/{id}/roles`: the user's roles, `{"items": [UserRoleResponse]}`. */
export const userRolesList: Route = {
  method: 'GET',
  path: '/api/v3/users/{id}/roles',
  access: { kind: 'scoped' },
  handle(request, context) {
    sessionsOf(context)
    const userId = userIdParam(request)
    request.authorize({ kind: 'user', action: 'read', userId })

    const user = activeUser(context, userId)
    const items = rolesOfUser(context, user).map(roleResponse)
    return Promise.resolve(json(200, { items }))
  },
}
