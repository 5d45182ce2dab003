import type { HttpClient } from './http-client.js'
import { ServerError } from './http-client.js'

/**
 * What `GET /api/v3/auth/oauth/config` answers: the provider a server trusts for sign-in, and
 * the public client the command line signs in as.
 */
export interface OAuthConfig {
  readonly issuer: string
  readonly clientId: string
  /** The API audience of the access tokens; requested as `resource` (RFC 8707). */
  readonly audience: string
  readonly scopes: readonly string[]
  /** `null` when the provider offers no device flow. */
  readonly deviceAuthorizationEndpoint: string | null
  readonly tokenEndpoint: string
  /** `null` when the provider offers no browser flow. */
  readonly authorizationEndpoint: string | null
}

/**
 * Asks the server which provider to sign in through.
 * @throws Error when the server offers no OAuth sign-in or answers without a usable config; the
 * message never repeats the body.
 */
export async function fetchOAuthConfig(client: HttpClient): Promise<OAuthConfig> {
  const response = await client
    .send({ method: 'GET', path: '/api/v3/auth/oauth/config' })
    .catch((error: unknown) => {
      if (error instanceof ServerError && error.status === 404) {
        throw new Error('the server does not offer sign-in through an OAuth provider')
      }
      throw error
    })

  const body: unknown = await response.json().catch(() => undefined)
  if (!isOAuthConfig(body)) throw new Error('the server answered without a usable OAuth config')

  return body
}

function isOAuthConfig(body: unknown): body is OAuthConfig {
  if (typeof body !== 'object' || body === null) return false

  const fields = body as Record<string, unknown>
  return (
    isUrl(fields.issuer) &&
    isUrl(fields.tokenEndpoint) &&
    (fields.deviceAuthorizationEndpoint === null || isUrl(fields.deviceAuthorizationEndpoint)) &&
    (fields.authorizationEndpoint === null || isUrl(fields.authorizationEndpoint)) &&
    typeof fields.clientId === 'string' &&
    typeof fields.audience === 'string' &&
    Array.isArray(fields.scopes) &&
    fields.scopes.every((scope) => typeof scope === 'string')
  )
}

function isUrl(value: unknown): value is string {
  return typeof value === 'string' && URL.canParse(value)
}
