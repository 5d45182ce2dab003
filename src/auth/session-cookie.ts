import type { IncomingHttpHeaders } from 'node:http'

/** The browser's session after a sign-in through the identity provider. */
export const sessionCookieName = 'fluxgate_session'

/** Binds a pending browser sign-in to the browser that started it (OA-8). */
export const signInCookieName = 'fluxgate_signin'

/** How a cookie is set: always HttpOnly and SameSite=Lax, `Secure` when asked. */
export interface CookieOptions {
  path: string
  maxAgeSeconds: number
  secure: boolean
}

/**
 * A `Set-Cookie` value. Lax, not Strict: the provider sends the browser back with a top-level
 * navigation from its own site, and a Strict cookie would not come along.
 */
export function setCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
  ]
  if (options.secure) parts.push('Secure')
  return parts.join('; ')
}

/** A `Set-Cookie` value that makes the browser forget the cookie. */
export function clearCookie(name: string, options: Omit<CookieOptions, 'maxAgeSeconds'>): string {
  return setCookie(name, '', { ...options, maxAgeSeconds: 0 })
}

/** The value of one cookie the request carries; the first one when it is sent twice. */
export function readCookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  const header = headers.cookie
  if (header === undefined) return undefined

  for (const pair of header.split(';')) {
    const at = pair.indexOf('=')
    if (at === -1 || pair.slice(0, at).trim() !== name) continue
    return pair.slice(at + 1).trim()
  }
  return undefined
}
