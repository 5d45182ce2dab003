import { Command } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import { findUser } from '../user-lookup.js'

interface RequirePasswordResetOptions extends ServerOptions {
  readonly username: string
}

/**
 * `influxdb3 user require-password-reset`: the user must choose a new password before signing
 * in again (`POST /api/v3/users/{id}/require-password-reset`); the server ends their sessions.
 */
export function userRequirePasswordResetCommand(io: CliIo): Command {
  const command = new Command('require-password-reset')
    .description('Make a user choose a new password before signing in again')
    .requiredOption('--username <NAME>', 'the user who must reset the password')
  withServerOptions(command)

  return command.action(async (options: RequirePasswordResetOptions) => {
    const client = connect(options, io)
    const user = await findUser(client, options.username)

    await client.call({
      method: 'POST',
      path: `/api/v3/users/${user.userId}/require-password-reset`,
    })
    printLine(io, `user ${options.username} must reset the password before signing in again`)
  })
}
