import { json } from '../replies.js'
import type { Route } from '../route.js'
import { roleResponse, sessionsOf } from './internal/user-replies.js'

/** `GET /api/v3/roles`: every role, `{"items": [UserRoleResponse]}`. */
export const roleList: Route = {
  method: 'GET',
  path: '/api/v3/roles',
  access: { kind: 'scoped' },
  handle(request, context) {
    sessionsOf(context)
    request.authorize({ kind: 'role', action: 'read' })

    const items = context.users.roles().map(roleResponse)
    return Promise.resolve(json(200, { items }))
  },
}
