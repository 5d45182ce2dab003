import * as oidc from 'openid-client'

import { isTrustedTransport } from '../auth/index.js'
import { causeMessage } from './http-client.js'

/**
 * The provider refused a request. `error` is the code of its answer (RFC 6749 §5.2, RFC 8628
 * §3.5), such as `access_denied`, `expired_token` or `invalid_grant`; the message says what to do.
 */
export class OAuthGrantError extends Error {
  readonly error: string

  constructor(error: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'OAuthGrantError'
    this.error = error
  }
}

/** Where a stored session refreshes: the provider's token endpoint, kept from the sign-in. */
export interface ProviderEndpoints {
  readonly issuer: string
  readonly clientId: string
  readonly tokenEndpoint: string
}

/**
 * The provider at `issuer`, read from its discovery document, for the public client `clientId`.
 * Plain http is accepted for loopback issuers only, as tests run them.
 * @throws Error when the issuer or an endpoint is plain http elsewhere, or the document cannot
 * be read or names another issuer.
 */
export async function discoverProvider(
  issuer: string,
  clientId: string,
  signal?: AbortSignal,
): Promise<oidc.Configuration> {
  const url = safeProviderUrl(issuer, 'issuer')
  const execute = url.protocol === 'http:' ? [oidc.allowInsecureRequests] : []
  const provider = await oidc
    .discovery(url, clientId, undefined, oidc.None(), {
      execute,
      [oidc.customFetch]: fetchWithSignal(signal),
    })
    .catch((error: unknown) => {
      throw new Error(`cannot read the provider's metadata at ${issuer}: ${causeMessage(error)}`, {
        cause: error,
      })
    })

  // allowInsecureRequests covers every endpoint, so a loopback issuer must not send us elsewhere.
  const metadata = provider.serverMetadata()
  for (const endpoint of [metadata.token_endpoint, metadata.device_authorization_endpoint]) {
    if (endpoint !== undefined) safeProviderUrl(endpoint, 'endpoint')
  }
  return provider
}

/**
 * The provider as a stored session remembers it: its token endpoint, without discovery, for
 * refreshing.
 * @throws Error when an address is plain http other than on loopback.
 */
export function providerAt(endpoints: ProviderEndpoints, signal?: AbortSignal): oidc.Configuration {
  const issuer = safeProviderUrl(endpoints.issuer, 'issuer')
  const tokenEndpoint = safeProviderUrl(endpoints.tokenEndpoint, 'endpoint')
  const provider = new oidc.Configuration(
    { issuer: endpoints.issuer, token_endpoint: tokenEndpoint.href },
    endpoints.clientId,
    undefined,
    oidc.None(),
  )
  if (issuer.protocol === 'http:' || tokenEndpoint.protocol === 'http:') {
    oidc.allowInsecureRequests(provider)
  }
  provider[oidc.customFetch] = fetchWithSignal(signal)
  return provider
}

/**
 * Revokes `refreshToken` at the provider of `endpoints` (RFC 7009), when its metadata names a
 * revocation endpoint. Resolves to whether the provider took the revocation.
 * @throws Error when the provider cannot be reached or refuses.
 */
export async function revokeRefreshToken(
  endpoints: ProviderEndpoints,
  refreshToken: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const provider = await discoverProvider(endpoints.issuer, endpoints.clientId, signal)
  const revocation = provider.serverMetadata().revocation_endpoint
  if (revocation === undefined) return false

  safeProviderUrl(revocation, 'endpoint')
  await oidc.tokenRevocation(provider, refreshToken, { token_type_hint: 'refresh_token' })
  return true
}

/**
 * What a failed provider request means to the user: its error answer becomes an
 * `OAuthGrantError` whose message starts with `doing`; any other failure (unreachable, not
 * OAuth) an Error that names `issuer`.
 */
export function providerErrorOf(error: unknown, doing: string, issuer: string): Error {
  if (error instanceof oidc.ResponseBodyError) {
    const description = error.error_description === undefined ? '' : ` (${error.error_description})`
    return new OAuthGrantError(error.error, `${doing}: ${error.error}${description}`, {
      cause: error,
    })
  }
  return new Error(`cannot use the provider at ${issuer}: ${causeMessage(error)}`, { cause: error })
}

// The server holds the provider to the same rule (isTrustedTransport).
function safeProviderUrl(address: string, what: 'issuer' | 'endpoint'): URL {
  if (isTrustedTransport(address)) return new URL(address)
  throw new Error(`refusing the provider ${what} ${address}: it must be https (http on loopback)`)
}

/** openid-client's fetch, also aborted by `signal` (Ctrl-C), besides its own timeout. */
function fetchWithSignal(signal: AbortSignal | undefined): oidc.CustomFetch {
  return (url, options) => {
    const signals = [options.signal, signal].filter((one) => one !== undefined)
    return fetch(url, { ...options, signal: AbortSignal.any(signals) })
  }
}
