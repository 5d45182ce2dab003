import { homedir } from 'node:os'

import type { CliIo } from './cli-io.js'
import { CredentialsStore } from './credentials-store.js'
import type {
  StoredOAuthSession,
  StoredPasswordSession,
  StoredSession,
} from './credentials-store.js'
import { HttpClient, ServerError } from './http-client.js'
import type { OAuthConfig } from './oauth-config.js'
import { refreshOAuthSession } from './oauth-device-login.js'
import type { OAuthTokens } from './oauth-device-login.js'
import { OAuthGrantError } from './oauth-provider-client.js'

/** An access token this close to its expiry is refreshed before it is used. */
export const refreshMarginSeconds = 5 * 60

/** What `POST /api/v3/authorize` and `/api/v3/authorize/refresh` answer. */
export interface SessionTokens {
  readonly token: string
  readonly refreshToken: string
  readonly userId: number
  /** Epoch seconds. */
  readonly expiresAt: number
}

/** The credentials file of the user running the command: `HOME` from `io.env`, else the OS's. */
export function credentialsStoreFor(io: CliIo): CredentialsStore {
  const home = io.env.HOME
  return new CredentialsStore(home === undefined || home === '' ? homedir() : home)
}

/**
 * The access token of the session stored for `host` (already normalized), refreshed first when
 * it expires within five minutes; the rotated pair replaces the stored one. A password session
 * refreshes at the server, an OAuth one at the provider's token endpoint. Resolves to
 * `undefined` when no session is stored.
 * @throws Error when the server or provider no longer accepts the refresh token; the stale
 * session is then forgotten and the message says to sign in again.
 */
export async function storedAccessToken(
  host: string,
  io: CliIo,
  now: () => number = Date.now,
): Promise<string | undefined> {
  const store = credentialsStoreFor(io)
  const session = await store.load(host)
  if (session === undefined) return undefined
  if (session.expiresAt - refreshMarginSeconds > now() / 1000) return session.accessToken

  const refreshed = await refreshStored(host, session, io, now).catch(async (error: unknown) => {
    if (!refreshRefused(error)) throw error

    await store.remove(host)
    throw new Error(`${describeSession(session)} has ended: sign in again with ${relogin(session)}`)
  })
  await store.save(host, refreshed)
  return refreshed.accessToken
}

/** The stored form of the `tokens` a sign-in or refresh issued to `username`. */
export function toStoredSession(username: string, tokens: SessionTokens): StoredPasswordSession {
  return {
    accessToken: tokens.token,
    refreshToken: tokens.refreshToken,
    userId: tokens.userId,
    username,
    expiresAt: tokens.expiresAt,
    authType: 'basic',
  }
}

/**
 * The stored form of the `tokens` a provider issued through the OAuth `config`; `subject` stays
 * as it was when a refresh brings no ID token.
 */
export function toStoredOAuthSession(
  config: Pick<OAuthConfig, 'issuer' | 'clientId' | 'tokenEndpoint' | 'audience'>,
  tokens: OAuthTokens,
  subject: string | undefined = tokens.subject,
): StoredOAuthSession {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: tokens.expiresAt,
    authType: 'oauth',
    issuer: config.issuer,
    clientId: config.clientId,
    tokenEndpoint: config.tokenEndpoint,
    audience: config.audience,
    ...(subject === undefined ? {} : { subject }),
  }
}

/**
 * Reads the tokens from the body of a successful sign-in or refresh.
 * @throws Error when the body lacks them; the message never repeats the body.
 */
export async function readSessionTokens(response: Response): Promise<SessionTokens> {
  const body: unknown = await response.json().catch(() => undefined)
  if (!isSessionTokens(body)) throw new Error('the server answered without session tokens')

  return body
}

async function refreshStored(
  host: string,
  session: StoredSession,
  io: CliIo,
  now: () => number,
): Promise<StoredSession> {
  if (session.authType === 'basic') {
    return toStoredSession(session.username, await refreshSession(host, session, io))
  }

  const options = { signal: io.signal, now }
  const tokens = await refreshOAuthSession(session, session.refreshToken, options)
  return toStoredOAuthSession(session, tokens, tokens.subject ?? session.subject)
}

async function refreshSession(
  host: string,
  session: StoredPasswordSession,
  io: CliIo,
): Promise<SessionTokens> {
  const client = new HttpClient({ host, signal: io.signal })
  const response = await client.send({
    method: 'POST',
    path: '/api/v3/authorize/refresh',
    json: { refreshToken: session.refreshToken },
  })
  return readSessionTokens(response)
}

/** The server (401) or the provider (`invalid_grant`) will not refresh this session again. */
function refreshRefused(error: unknown): boolean {
  if (error instanceof ServerError) return error.status === 401
  return error instanceof OAuthGrantError && error.error === 'invalid_grant'
}

function describeSession(session: StoredSession): string {
  return session.authType === 'basic'
    ? `the session of ${session.username}`
    : `the session through ${session.issuer}`
}

function relogin(session: StoredSession): string {
  return session.authType === 'basic' ? 'auth login' : 'auth login --oauth'
}

function isSessionTokens(body: unknown): body is SessionTokens {
  if (typeof body !== 'object' || body === null) return false

  const fields = body as Record<string, unknown>
  return (
    typeof fields.token === 'string' &&
    typeof fields.refreshToken === 'string' &&
    typeof fields.userId === 'number' &&
    typeof fields.expiresAt === 'number'
  )
}
