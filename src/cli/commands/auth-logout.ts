import { Command } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import type { StoredOAuthSession, StoredSession } from '../credentials-store.js'
import { printError } from '../error-report.js'
import { HttpClient } from '../http-client.js'
import { revokeRefreshToken } from '../oauth-provider-client.js'
import { hostFrom, withHostOption } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import { credentialsStoreFor, storedAccessToken } from '../stored-session.js'

type LogoutOptions = Pick<ServerOptions, 'host'>

/**
 * `influxdb3 auth logout`: ends the stored session on the server
 * (`POST /api/v3/authorize/logout`) and forgets it here, even when the server refuses. A session
 * from an OAuth provider also has its refresh token revoked there, when the provider offers
 * revocation.
 */
export function authLogoutCommand(io: CliIo): Command {
  const command = new Command('logout').description(
    'End the session stored for this server, and forget it',
  )
  withHostOption(command)

  return command.action((options: LogoutOptions) => logout(options, io))
}

async function logout(options: LogoutOptions, io: CliIo): Promise<void> {
  const host = hostFrom(options, io)
  const store = credentialsStoreFor(io)
  const session = await store.load(host)
  if (session === undefined) throw new Error(`not signed in to ${host}`)

  try {
    await endSession(host, session, io)
  } catch (error) {
    // The session is forgotten all the same: a server that refuses has usually ended it already.
    const reason = error instanceof Error ? error.message : String(error)
    printError(io, `the server did not end the session: ${reason}`)
  } finally {
    if (session.authType === 'oauth') await revokeQuietly(session, io)
    await store.remove(host)
  }
  printLine(io, 'signed out')
}

// A provider's access token is ended as it is: refreshing it first would only mint a new one to
// end, and revoke-on-refresh providers would see the refresh token used after all.
async function endSession(host: string, session: StoredSession, io: CliIo): Promise<void> {
  const token =
    session.authType === 'oauth' ? session.accessToken : await storedAccessToken(host, io)
  const client = new HttpClient({ host, token, signal: io.signal })
  await client.call({ method: 'POST', path: '/api/v3/authorize/logout' })
}

/**
 * Revocation is a courtesy to the provider: the entry is forgotten whatever it answers, and
 * the access token lives out its short lifetime either way.
 */
async function revokeQuietly(session: StoredOAuthSession, io: CliIo): Promise<void> {
  await revokeRefreshToken(session, session.refreshToken, io.signal).catch(() => false)
}
