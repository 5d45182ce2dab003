import { apiPermissionsOf, builtInRoles } from '../../auth/index.js'
import { json } from '../replies.js'
import type { Route } from '../route.js'
import { roleById, roleIdParam } from './internal/user-lookup.js'
import { sessionsOf } from './internal/user-replies.js'

/** `GET /api/v3/roles/{id}/permissions`: what the role grants, `{"permissions": [...]}`. */
export const rolePermissions: Route = {
  method: 'GET',
  path: '/api/v3/roles/{id}/permissions',
  access: { kind: 'scoped' },
  handle(request, context) {
    sessionsOf(context)
    const roleId = roleIdParam(request)
    request.authorize({ kind: 'role', action: 'read' })

    const role = roleById(context, roleId)
    const builtIn = builtInRoles.find((candidate) => candidate.id === role.id)
    const permissions = builtIn === undefined ? [] : apiPermissionsOf(builtIn)
    return Promise.resolve(json(200, { permissions }))
  },
}
