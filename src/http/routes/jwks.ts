import { json } from '../replies.js'
import type { Route } from '../route.js'

/**
 * `GET /.well-known/jwks.json`: the public key that signs Fluxgate's access tokens, so that
 * other services can verify them. Empty when user sign-in is off.
 */
export const jwks: Route = {
  method: 'GET',
  path: '/.well-known/jwks.json',
  access: { kind: 'public' },
  handle(_request, context) {
    const keys = context.sessions === undefined ? [] : [context.sessions.publicJwk()]
    return Promise.resolve(json(200, { keys }))
  },
}
