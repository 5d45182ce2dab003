import { FluxgateError } from '../../errors/index.js'
import { json } from '../replies.js'
import type { Route } from '../route.js'
import { sessionsOf, userResponse } from './internal/user-replies.js'

/** `GET /api/v3/users_by_oauth_id/{oauthId}`: the user with that identity-provider subject. */
export const userByOauthId: Route = {
  method: 'GET',
  path: '/api/v3/users_by_oauth_id/{oauthId}',
  access: { kind: 'scoped' },
  handle(request, context) {
    sessionsOf(context)
    request.authorize({ kind: 'user', action: 'read', userId: undefined })

    const user = context.users.byOauthId(request.params.oauthId ?? '')
    if (user === undefined) throw new FluxgateError('ERR_USER_NOT_FOUND')

    return Promise.resolve(json(200, userResponse(user)))
  },
}
