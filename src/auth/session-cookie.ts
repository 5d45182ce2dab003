import type { IncomingHttpHeaders } from 'node:http'

import { pendingSignInTtlMs } from './oauth/pending-sign-ins.js'
import { browserSessionLifetimeMs } from './session-manager.js'

/** The browser's session after a sign-in through the identity provider. */
const sessionCookieName = 'fluxgate_session'

/** Binds a pending browser sign-in to the browser that started it (OA-8). */
const signInCookieName = 'fluxgate_signin'

/** The binding cookie goes to the callback only, where the sign-in finishes. */
const callbackPath = '/auth/callback'

/** How a cookie is set: always HttpOnly and SameSite=Lax, `Secure` when asked. */
interface CookieOptions {
  path: string
  maxAgeSeconds: number
  secure: boolean
}

/** The session cookie a finished browser sign-in sets; it lasts as long as the session. */
export function sessionCookie(value: string, secure: boolean): string {
  const maxAgeSeconds = browserSessionLifetimeMs / 1000
  return setCookie(sessionCookieName, value, { path: '/', maxAgeSeconds, secure })
}

/** Makes the browser forget its session cookie, at logout. */
export function clearSessionCookie(secure: boolean): string {
  return setCookie(sessionCookieName, '', { path: '/', maxAgeSeconds: 0, secure })
}

/** The cookie that ties a started sign-in to this browser, as long as the sign-in may wait. */
export function signInBindingCookie(value: string, secure: boolean): string {
  const maxAgeSeconds = pendingSignInTtlMs / 1000
  return setCookie(signInCookieName, value, { path: callbackPath, maxAgeSeconds, secure })
}

/** Makes the browser forget the binding cookie once its sign-in finished. */
export function clearSignInBindingCookie(secure: boolean): string {
  return setCookie(signInCookieName, '', { path: callbackPath, maxAgeSeconds: 0, secure })
}

/** The session cookie the request carries, if any. */
export function readSessionCookie(headers: IncomingHttpHeaders): string | undefined {
  return readCookie(headers, sessionCookieName)
}

/** The sign-in binding cookie the request carries, if any. */
export function readSignInBinding(headers: IncomingHttpHeaders): string | undefined {
  return readCookie(headers, signInCookieName)
}

/**
 * A `Set-Cookie` value. Lax, not Strict: the provider sends the browser back with a top-level
 * navigation from its own site, and a Strict cookie would not come along.
 */
function setCookie(name: string, value: string, options: CookieOptions): string {
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

/** The value of one cookie the request carries; the first one when it is sent twice. */
function readCookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  const header = headers.cookie
  if (header === undefined) return undefined

  for (const pair of header.split(';')) {
    const at = pair.indexOf('=')
    if (at === -1 || pair.slice(0, at).trim() !== name) continue
    return pair.slice(at + 1).trim()
  }
  return undefined
}
