import type { IncomingHttpHeaders } from 'node:http'

/** What a request presents as its credential. */
export type Credential =
  { kind: 'token'; secret: string } | { kind: 'none' } | { kind: 'malformed' }

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * Reads the credential as InfluxDB 3 does: `p` in the query string of `/write` and `/query`
 * (for 1.x clients), otherwise the `Authorization` header with the case-sensitive schemes
 * `Bearer`, `Token` or `Basic` (the token is the password).
 */
export function readCredential(
  headers: IncomingHttpHeaders,
  path: string,
  query: URLSearchParams,
): Credential {
  if ((path === '/write' || path === '/query') && query.has('p')) {
    return { kind: 'token', secret: query.get('p') ?? '' }
  }

  const header = headers.authorization
  if (header === undefined) return { kind: 'none' }
  return parseAuthorization(header)
}

/** Parses an `Authorization` value: exactly two parts separated by one space. */
export function parseAuthorization(value: string): Credential {
  const parts = value.split(' ')
  if (parts.length !== 2) return { kind: 'malformed' }

  const [scheme = '', payload = ''] = parts
  if (scheme === 'Bearer' || scheme === 'Token') return { kind: 'token', secret: payload }
  if (scheme === 'Basic') return parseBasic(payload)
  return { kind: 'malformed' }
}

/** `Basic base64(user:token)`: the username is ignored, and only one colon is allowed. */
function parseBasic(payload: string): Credential {
  if (!base64Pattern.test(payload)) return { kind: 'malformed' }

  let decoded: string
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(payload, 'base64'))
  } catch {
    return { kind: 'malformed' }
  }

  const colon = decoded.indexOf(':')
  if (colon === -1 || decoded.indexOf(':', colon + 1) !== -1) return { kind: 'malformed' }
  return { kind: 'token', secret: decoded.slice(colon + 1) }
}
