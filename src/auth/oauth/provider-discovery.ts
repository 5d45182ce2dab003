import { z } from 'zod'

import { FluxgateError } from '../../errors/index.js'

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

/** Outbound HTTP as the provider client makes it: a `fetch`, and a timeout on every call. */
export interface HttpDeps {
  fetch: typeof fetch
  timeoutMs: number
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

/** GETs `url` as JSON with the deps' timeout; any failure is ERR_OAUTH_UNAVAILABLE. */
export async function fetchJson(
  url: string,
  deps: HttpDeps,
  signal?: AbortSignal,
): Promise<unknown> {
  const timeout = AbortSignal.timeout(deps.timeoutMs)
  const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout])
  try {
    // Redirects are not followed: they could lead off the configured, checked origin.
    const res = await deps.fetch(url, {
      signal: combined,
      redirect: 'error',
      headers: { accept: 'application/json' },
    })
    if (!res.ok) throw unavailable(`${url} answered ${res.status}`)

    const body: unknown = await res.json()
    return body
  } catch (error) {
    if (error instanceof FluxgateError) throw error
    throw new FluxgateError('ERR_OAUTH_UNAVAILABLE', `${url}: ${reasonOf(error)}`, {
      cause: error,
    })
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

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause
  if (typeof cause?.code === 'string') return cause.code
  return error instanceof Error ? error.message : String(error)
}

function unavailable(detail: string): FluxgateError {
  return new FluxgateError('ERR_OAUTH_UNAVAILABLE', detail)
}
