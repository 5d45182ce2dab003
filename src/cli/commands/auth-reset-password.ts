import { Command } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { ServerError } from '../http-client.js'
import { askLine, readPasswordChange } from '../password-input.js'
import type { PasswordStdinOption } from '../password-input.js'
import { connectWithoutToken, hostFrom, withHostOption } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import { credentialsStoreFor } from '../stored-session.js'

interface ResetPasswordOptions extends Pick<ServerOptions, 'host'>, PasswordStdinOption {
  readonly username?: string
}

/**
 * `influxdb3 auth reset-password`: changes a password given the current one
 * (`POST /api/v3/authorize/reset-password`), also when an admin required a reset. The server
 * ends every session of the user, so the one stored here for them is forgotten.
 */
export function authResetPasswordCommand(io: CliIo): Command {
  const command = new Command('reset-password')
    .description('Change a password, given the current one; sign in again afterwards')
    .option(
      '--username <NAME>',
      'whose password (default: the signed-in user, else asked for on a terminal)',
    )
    .option('--password-stdin', 'read the current password, then the new one, from stdin lines')
  withHostOption(command)

  return command.action((options: ResetPasswordOptions) => resetPassword(options, io))
}

async function resetPassword(options: ResetPasswordOptions, io: CliIo): Promise<void> {
  const host = hostFrom(options, io)
  const store = credentialsStoreFor(io)
  const stored = await store.load(host)
  // An OAuth session names no password user, so it offers no default and is left alone.
  const storedUsername = stored?.authType === 'basic' ? stored.username : undefined
  const username = options.username ?? storedUsername ?? (await askUsername(io))
  const change = await readPasswordChange(options, io)

  await connectWithoutToken(options, io)
    .call({
      method: 'POST',
      path: '/api/v3/authorize/reset-password',
      json: { username, currentPassword: change.current, newPassword: change.next },
    })
    .catch((error: unknown) => {
      throw resetFailure(error)
    })

  // Only that user's sessions ended: another user's stored session still works.
  if (storedUsername === username) await store.remove(host)
  printLine(io, 'password changed; sign in again')
}

function askUsername(io: CliIo): Promise<string> {
  return askLine('Username: ', 'no username given: pass --username', io)
}

/** The server answers an unknown user and a wrong current password alike, on purpose. */
function resetFailure(error: unknown): unknown {
  if (!(error instanceof ServerError)) return error
  if (error.status === 401) return new Error('wrong username or current password')
  if (error.status === 429) return new Error('too many failed attempts: wait, then try again')
  return error
}
