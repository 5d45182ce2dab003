import { z } from 'zod'

import { json } from '../replies.js'
import type { Route } from '../route.js'
import { readJsonBody } from './internal/json-body.js'
import { recordUserChange, userIdParam } from './internal/user-lookup.js'
import { roleResponse, rolesOfUser, sessionsOf } from './internal/user-replies.js'

const rolesBody = z.object({ roleIds: z.array(z.number().int().positive()) })

/**
 * `PUT /api/v3/users/{id}/roles`: replaces the user's roles with `roleIds`. Needs the rights to
 * update users and roles, so nobody grants themselves a role. The last admin keeps the Admin
 * role (409); an unknown role id is a 404. The change applies to the user's next request.
 */
export const userRolesSet: Route = {
  method: 'PUT',
  path: '/api/v3/users/{id}/roles',
  access: { kind: 'scoped' },
  async handle(request, context) {
    sessionsOf(context)
    const userId = userIdParam(request)
    request.authorize({ kind: 'user', action: 'update', userId: undefined })
    request.authorize({ kind: 'role', action: 'update' })
    const body = await readJsonBody(request, rolesBody)

    const user = context.users.setRoles(userId, body.roleIds, context.clock.now())
    recordUserChange(request, context, {
      action: 'user_roles_set',
      userId,
      detail: `roles ${user.roleIds.join(',') || 'none'}`,
    })

    const items = rolesOfUser(context, user).map(roleResponse)
    return json(200, { items })
  },
}
