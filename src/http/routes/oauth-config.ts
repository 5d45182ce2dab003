import { FluxgateError } from '../../errors/index.js'
import { json } from '../replies.js'
import type { Route } from '../route.js'

/**
 * `GET /api/v3/auth/oauth/config`: what a client needs to sign in through the identity
 * provider (the CLI's device flow, a browser's code flow). Public: it holds no secret, and the
 * client secret never appears. 404 when OAuth sign-in is off; 503 ERR_OAUTH_UNAVAILABLE until
 * the provider's discovery succeeded.
 */
export const oauthConfig: Route = {
  method: 'GET',
  path: '/api/v3/auth/oauth/config',
  access: { kind: 'public' },
  handle(_request, context) {
    if (context.oauth === undefined) throw new FluxgateError('ERR_NOT_FOUND')

    const { settings } = context.oauth
    const { metadata } = context.oauth.discovered()
    return Promise.resolve(
      json(200, {
        issuer: settings.issuer,
        clientId: settings.clientId,
        audience: settings.audience,
        scopes: settings.scopes,
        deviceAuthorizationEndpoint: metadata.deviceAuthorizationEndpoint ?? null,
        tokenEndpoint: metadata.tokenEndpoint ?? null,
        authorizationEndpoint: metadata.authorizationEndpoint ?? null,
      }),
    )
  },
}
