import { Command } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import { findUser } from '../user-lookup.js'

interface UpdateUserOptions extends ServerOptions {
  readonly username: string
  readonly displayName: string
}

/** `influxdb3 update user`: changes a user's display name (`PATCH /api/v3/users/{id}`). */
export function updateUserCommand(io: CliIo): Command {
  const command = new Command('user')
    .description("Change a user's display name")
    .requiredOption('--username <NAME>', 'the user to change')
    .requiredOption('--display-name <NAME>', 'the new display name')
  withServerOptions(command)

  return command.action(async (options: UpdateUserOptions) => {
    const client = connect(options, io)
    const user = await findUser(client, options.username)

    await client.call({
      method: 'PATCH',
      path: `/api/v3/users/${user.userId}`,
      json: { displayName: options.displayName },
    })
    printLine(io, `updated user ${options.username}`)
  })
}
