import { FluxgateError } from '../../errors/index.js'
import { json } from '../replies.js'
import type { Route } from '../route.js'
import { sessionsOf, signedInUser, userResponse } from './internal/user-replies.js'

/** `GET /api/v3/authorize/whoami`: the signed-in user and their session (a Fluxgate addition). */
export const authorizeWhoami: Route = {
  method: 'GET',
  path: '/api/v3/authorize/whoami',
  access: { kind: 'scoped' },
  handle(request, context) {
    sessionsOf(context)
    const principal = signedInUser(request)
    const user = context.users.active(principal.userId)
    if (user === undefined) throw new FluxgateError('ERR_USER_NOT_FOUND')

    return Promise.resolve(json(200, { ...userResponse(user), sessionId: principal.sessionId }))
  },
}
