import { Command } from 'commander'

import { UsageError } from '../cli-errors.js'
import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { ServerError } from '../http-client.js'
import { fetchOAuthConfig } from '../oauth-config.js'
import { loginWithDeviceCode } from '../oauth-device-login.js'
import { askLine, readPassword } from '../password-input.js'
import type { PasswordStdinOption } from '../password-input.js'
import { connectWithoutToken, hostFrom, withHostOption } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import {
  credentialsStoreFor,
  readSessionTokens,
  toStoredOAuthSession,
  toStoredSession,
} from '../stored-session.js'

interface LoginOptions extends Pick<ServerOptions, 'host'>, PasswordStdinOption {
  readonly username?: string
  readonly oauth?: boolean
}

/**
 * `influxdb3 auth login`: signs in with a username and password (`POST /api/v3/authorize`), or
 * with `--oauth` through the server's identity provider (device flow, RFC 8628), and stores the
 * session for the server, so that later commands need no `--token`.
 */
export function authLoginCommand(io: CliIo): Command {
  const command = new Command('login')
    .description('Sign in and keep the session for this server')
    .option('--username <NAME>', 'who signs in (asked for on a terminal when absent)')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--oauth', "sign in through the server's identity provider, in a browser")
  withHostOption(command)

  return command.action((options: LoginOptions) =>
    options.oauth === true ? loginThroughProvider(options, io) : login(options, io),
  )
}

async function login(options: LoginOptions, io: CliIo): Promise<void> {
  const host = hostFrom(options, io)
  const username = options.username ?? (await askUsername(io))
  const password = await readPassword({ message: 'Password:' }, options, io)

  const response = await connectWithoutToken(options, io)
    .send({ method: 'POST', path: '/api/v3/authorize', json: { username, password } })
    .catch((error: unknown) => {
      throw signInFailure(error)
    })
  const tokens = await readSessionTokens(response)

  await credentialsStoreFor(io).save(host, toStoredSession(username, tokens))
  printLine(io, `signed in as ${username}`)
}

/**
 * The server names the provider (`GET /api/v3/auth/oauth/config`); the user approves this
 * sign-in in a browser, anywhere, while the command waits.
 */
async function loginThroughProvider(options: LoginOptions, io: CliIo): Promise<void> {
  if (options.username !== undefined || options.passwordStdin === true) {
    throw new UsageError('--oauth signs in at the provider: drop --username and --password-stdin')
  }
  const host = hostFrom(options, io)
  const config = await fetchOAuthConfig(connectWithoutToken(options, io))

  const tokens = await loginWithDeviceCode(config, io)

  await credentialsStoreFor(io).save(host, toStoredOAuthSession(config, tokens))
  printLine(io, `signed in through ${config.issuer}`)
}

function askUsername(io: CliIo): Promise<string> {
  return askLine('Username: ', 'no username given: pass --username', io)
}

/**
 * The server answers an unknown user and a wrong password alike, on purpose; the message says
 * the same, in words a person at the terminal can act on.
 */
function signInFailure(error: unknown): unknown {
  if (!(error instanceof ServerError)) return error
  if (error.status === 401) return new Error('sign-in failed: wrong username or password')
  if (error.status === 429) return new Error('too many failed sign-ins: wait, then try again')
  if (error.status === 403) {
    return new Error(`${error.message}: choose a new one with auth reset-password`)
  }
  return error
}
