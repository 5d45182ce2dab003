import { clearSignInBindingCookie, readSignInBinding, sessionCookie } from '../../auth/index.js'
import { FluxgateError } from '../../errors/index.js'
import type { Route } from '../route.js'
import { clientAddress } from './internal/user-replies.js'

/**
 * `GET /auth/callback`: where the provider sends the browser back with a code. The sign-in
 * must be one this browser started (`state` and the binding cookie), the code is redeemed with
 * its PKCE verifier, and the ID token is checked; the browser then gets its session cookie and
 * goes on to the page it asked for. Anything else is 401 and no session exists.
 */
export const oauthBrowserCallback: Route = {
  method: 'GET',
  path: '/auth/callback',
  access: { kind: 'public' },
  async handle(request, context) {
    const signIn = context.browserSignIn
    if (signIn === undefined) throw new FluxgateError('ERR_NOT_FOUND')

    const signedIn = await signIn.finish({
      query: request.query,
      browserBinding: readSignInBinding(request.headers),
      clientAddress: clientAddress(request),
      log: request.log,
    })

    const secure = signIn.secureCookie
    return {
      status: 303,
      headers: {
        location: signedIn.returnTo,
        'cache-control': 'no-store',
        'set-cookie': [
          sessionCookie(signedIn.cookieValue, secure),
          clearSignInBindingCookie(secure),
        ],
      },
    }
  },
}
