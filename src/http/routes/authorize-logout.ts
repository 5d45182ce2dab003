import { clearSessionCookie, readSessionCookie } from '../../auth/index.js'
import { empty } from '../replies.js'
import type { BufferedReply, Route } from '../route.js'
import { clientAddress, sessionsOf, signedInUser } from './internal/user-replies.js'

/**
 * `POST /api/v3/authorize/logout`: ends the caller's session on the server. Its access token
 * and refresh token, or its browser cookie, are refused from the next request on, not at their
 * expiry; a browser is also told to forget the cookie.
 */
export const authorizeLogout: Route = {
  method: 'POST',
  path: '/api/v3/authorize/logout',
  access: { kind: 'scoped' },
  handle(request, context) {
    const sessions = sessionsOf(context)
    const user = signedInUser(request)

    sessions.logout(user, clientAddress(request))
    const reply: BufferedReply = empty(204)
    if (readSessionCookie(request.headers) !== undefined) {
      const secure = context.browserSignIn?.secureCookie ?? false
      reply.headers = { 'set-cookie': clearSessionCookie(secure) }
    }
    return Promise.resolve(reply)
  },
}
