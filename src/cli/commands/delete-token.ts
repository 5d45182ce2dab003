import { Command } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { confirmDeletion } from '../confirm-prompt.js'
import type { ConfirmOptions } from '../confirm-prompt.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import { operatorTokenName } from '../token-mode.js'

interface DeleteTokenOptions extends ServerOptions, ConfirmOptions {
  readonly tokenName: string
}

/**
 * `influxdb3 delete token --token-name <NAME>`: `DELETE /api/v3/configure/token`, after
 * confirming. The operator token is refused before anything is sent.
 */
export function deleteTokenCommand(io: CliIo): Command {
  const command = new Command('token')
    .description('Delete a named admin or resource token (needs an admin token)')
    .requiredOption('--token-name <NAME>', 'name of the token to delete')
    .option('-y, --yes', 'delete without asking for confirmation')
  withServerOptions(command)

  return command.action(async (options: DeleteTokenOptions) => {
    const name = options.tokenName
    if (name === operatorTokenName) throw new Error(operatorTokenRefusal)

    const quoted = JSON.stringify(name)
    if (!(await confirmDeletion(quoted, options, io))) {
      throw new Error('cannot delete the token without confirmation')
    }
    await connect(options, io).call({
      method: 'DELETE',
      path: '/api/v3/configure/token',
      query: { token_name: name },
    })
    printLine(io, `Token ${quoted} deleted successfully`)
  })
}

const operatorTokenRefusal =
  'The operator token "_admin" is required and cannot be deleted. To regenerate an operator ' +
  'token, use: influxdb3 create token --admin --regenerate --token [TOKEN]'
