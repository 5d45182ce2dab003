import { signInBindingCookie } from '../../auth/index.js'
import { FluxgateError } from '../../errors/index.js'
import type { Route } from '../route.js'

/**
 * `GET /auth/login`: starts a browser sign-in through the identity provider and redirects to
 * its authorization endpoint. `return_to`, a path on this server, is where the browser lands
 * afterwards. A cookie scoped to the callback ties the sign-in to this browser. 404 when
 * browser sign-in is off; 503 until the provider was discovered.
 */
export const oauthBrowserLogin: Route = {
  method: 'GET',
  path: '/auth/login',
  access: { kind: 'public' },
  handle(request, context) {
    const signIn = context.browserSignIn
    if (signIn === undefined) throw new FluxgateError('ERR_NOT_FOUND')

    const started = signIn.start(request.query.get('return_to') ?? undefined)
    return Promise.resolve({
      status: 302,
      headers: {
        location: started.authorizationUrl,
        'set-cookie': signInBindingCookie(started.browserBinding, signIn.secureCookie),
        'cache-control': 'no-store',
      },
    })
  },
}
