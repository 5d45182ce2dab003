import { json } from '../replies.js'
import type { Route } from '../route.js'
import { sessionsOf, userResponse } from './internal/user-replies.js'

/** `GET /api/v3/users`: the users not deleted, as `{"items": [UserResponse]}`. */
export const userList: Route = {
  method: 'GET',
  path: '/api/v3/users',
  access: { kind: 'scoped' },
  handle(request, context) {
    sessionsOf(context)
    request.authorize({ kind: 'user', action: 'read', userId: undefined })

    const items = context.users.list().map(userResponse)
    return Promise.resolve(json(200, { items }))
  },
}
