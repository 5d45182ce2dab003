import { z } from 'zod'

import { FluxgateError } from '../../errors/index.js'
import { fetchJson } from './provider-http.js'
import type { HttpDeps } from './provider-http.js'

/** What Fluxgate uses of a provider's OpenID Connect discovery document. */
export interface ProviderMetadata {
  issuer: string
  jwksUri: string
  authorizationEndpoint: string | undefined
  tokenEndpoint: string | undefined
  deviceAuthorizationEndpoint: string | undefined
  /** RFC 9207: the provider adds `iss` to its authorization responses. */
  sendsIssuerInResponse: boolean
}

const metadataShape = z.object({
  issuer: z.string(),
  jwks_uri: z.string(),
  authorization_endpoint: z.string().optional(),
  token_endpoint: z.string().optional(),
  device_authorization_endpoint: z.string().optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
})

/**
 * Fetches `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4) and
 * refuses metadata whose `issuer` differs from `issuer` by a single character (§4.3), or whose
 * endpoints travel over plain HTTP off loopback. Throws ERR_OAUTH_UNAVAILABLE with the reason
 * as its detail.
 */
export async function discoverProvider(
  issuer: string,
  deps: HttpDeps,
  signal?: AbortSignal,
): Promise<ProviderMetadata> {
  const body = await fetchJson(discoveryUrl(issuer), deps, signal)
  const parsed = metadataShape.safeParse(body)
  if (!parsed.success) throw unavailable('discovery document lacks issuer or jwks_uri')

  const metadata = parsed.data
  if (metadata.issuer !== issuer) {
    throw unavailable(`discovery names issuer "${metadata.issuer}", expected "${issuer}"`)
  }
  assertTrustedTransport(metadata.jwks_uri, 'jwks_uri')

  return {
    issuer: metadata.issuer,
    jwksUri: metadata.jwks_uri,
    authorizationEndpoint: metadata.authorization_endpoint,
    tokenEndpoint: metadata.token_endpoint,
    deviceAuthorizationEndpoint: metadata.device_authorization_endpoint,
    sendsIssuerInResponse: metadata.authorization_response_iss_parameter_supported === true,
  }
}

/** True for `https:` URLs, and for `http:` ones on a loopback host (local tests). */
export function isTrustedTransport(url: string): boolean {
  if (!URL.canParse(url)) return false

  const { protocol, hostname } = new URL(url)
  if (protocol === 'https:') return true
  return protocol === 'http:' && isLoopbackHost(hostname)
}

function assertTrustedTransport(url: string, what: string): void {
  if (!isTrustedTransport(url)) throw unavailable(`${what} "${url}" is not https`)
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname)
}

function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
}

function unavailable(detail: string): FluxgateError {
  return new FluxgateError('ERR_OAUTH_UNAVAILABLE', detail)
}
