import { FluxgateError } from '../../errors/index.js'

/** Outbound HTTP as the provider client makes it: a `fetch`, and a timeout on every call. */
export interface HttpDeps {
  fetch: typeof fetch
  timeoutMs: number
}

/** What one call sends besides what every call to the provider has in common. */
export interface ProviderRequest {
  method?: 'GET' | 'POST'
  body?: URLSearchParams
  headers?: Record<string, string>
  signal?: AbortSignal
}

/**
 * One call to the provider, asking for JSON and giving up after the deps' timeout (or when
 * `signal` aborts). Redirects are not followed: they could lead off the configured, checked
 * origin.
 */
export function providerFetch(
  url: string,
  deps: HttpDeps,
  request: ProviderRequest = {},
): Promise<Response> {
  const { signal, headers, ...rest } = request
  const timeout = AbortSignal.timeout(deps.timeoutMs)
  return deps.fetch(url, {
    ...rest,
    signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
    redirect: 'error',
    headers: { accept: 'application/json', ...headers },
  })
}

/** GETs `url` as JSON with the deps' timeout; any failure is ERR_OAUTH_UNAVAILABLE. */
export async function fetchJson(
  url: string,
  deps: HttpDeps,
  signal?: AbortSignal,
): Promise<unknown> {
  try {
    const res = await providerFetch(url, deps, { signal })
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

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause
  if (typeof cause?.code === 'string') return cause.code
  return error instanceof Error ? error.message : String(error)
}

function unavailable(detail: string): FluxgateError {
  return new FluxgateError('ERR_OAUTH_UNAVAILABLE', detail)
}
