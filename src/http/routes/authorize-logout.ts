import { empty } from '../replies.js'
import type { Route } from '../route.js'
import { clientAddress, sessionsOf, signedInUser } from './internal/user-replies.js'

/**
 * `POST /api/v3/authorize/logout`: ends the caller's session on the server. Its access token
 * and refresh token are refused from the next request on, not at their expiry.
 */
export const authorizeLogout: Route = {
  method: 'POST',
  path: '/api/v3/authorize/logout',
  access: { kind: 'scoped' },
  handle(request, context) {
    const sessions = sessionsOf(context)
    const user = signedInUser(request)

    sessions.logout(user, clientAddress(request))
    return Promise.resolve(empty(204))
  },
}
