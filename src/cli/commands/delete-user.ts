import { Command } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { confirmDeletion } from '../confirm-prompt.js'
import type { ConfirmOptions } from '../confirm-prompt.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import { findUser } from '../user-lookup.js'

interface DeleteUserOptions extends ServerOptions, ConfirmOptions {
  readonly username: string
}

/**
 * `influxdb3 delete user`: deletes a user (`DELETE /api/v3/users/{id}`) after confirming. The
 * server ends the user's sessions and refuses the tokens the user created.
 */
export function deleteUserCommand(io: CliIo): Command {
  const command = new Command('user')
    .description('Delete a user, ending their sessions (needs the right to delete users)')
    .requiredOption('--username <NAME>', 'the user to delete')
    .option('-y, --yes', 'delete without asking for confirmation')
  withServerOptions(command)

  return command.action(async (options: DeleteUserOptions) => {
    const quoted = `user ${JSON.stringify(options.username)}`
    if (!(await confirmDeletion(quoted, options, io))) {
      throw new Error('cannot delete the user without confirmation')
    }

    const client = connect(options, io)
    const user = await findUser(client, options.username)
    await client.call({ method: 'DELETE', path: `/api/v3/users/${user.userId}` })
    printLine(io, `deleted user ${options.username}`)
  })
}
