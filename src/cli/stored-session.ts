import { homedir } from 'node:os'

import type { CliIo } from './cli-io.js'
import { CredentialsStore } from './credentials-store.js'
import type { StoredSession } from './credentials-store.js'
import { HttpClient, ServerError } from './http-client.js'

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
 * it expires within five minutes; the rotated pair replaces the stored one. Resolves to
 * `undefined` when no session is stored.
 * @throws Error when the server no longer accepts the refresh token; the stale session is then
 * forgotten and the message says to sign in again.
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

  const tokens = await refreshSession(host, session, io).catch(async (error: unknown) => {
    if (!(error instanceof ServerError) || error.status !== 401) throw error

    await store.remove(host)
    throw new Error(`the session of ${session.username} has ended: sign in again with auth login`)
  })
  await store.save(host, toStoredSession(session.username, tokens))
  return tokens.token
}

/** The stored form of the `tokens` a sign-in or refresh issued to `username`. */
export function toStoredSession(username: string, tokens: SessionTokens): StoredSession {
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
 * Reads the tokens from the body of a successful sign-in or refresh.
 * @throws Error when the body lacks them; the message never repeats the body.
 */
export async function readSessionTokens(response: Response): Promise<SessionTokens> {
  const body: unknown = await response.json().catch(() => undefined)
  if (!isSessionTokens(body)) throw new Error('the server answered without session tokens')

  return body
}

async function refreshSession(
  host: string,
  session: StoredSession,
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
