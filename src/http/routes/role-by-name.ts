import { FluxgateError } from '../../errors/index.js'
import { json } from '../replies.js'
import type { Route } from '../route.js'
import { roleResponse, sessionsOf } from './internal/user-replies.js'

/** `GET /api/v3/roles_by_name/{name}`: one role by its exact name. */
export const roleByName: Route = {
  method: 'GET',
  path: '/api/v3/roles_by_name/{name}',
  access: { kind: 'scoped' },
  handle(request, context) {
    sessionsOf(context)
    request.authorize({ kind: 'role', action: 'read' })

    const role = context.users.roles().find((candidate) => candidate.name === request.params.name)
    if (role === undefined) throw new FluxgateError('ERR_ROLE_NOT_FOUND')

    return Promise.resolve(json(200, roleResponse(role)))
  },
}
