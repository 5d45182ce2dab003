import { Command, Option } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { readPassword } from '../password-input.js'
import type { PasswordStdinOption } from '../password-input.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import { collectValue, readUserId, roleIdsByName } from '../user-lookup.js'

interface CreateUserOptions extends ServerOptions, PasswordStdinOption {
  readonly username: string
  readonly role?: readonly string[]
  readonly displayName?: string
}

/**
 * `influxdb3 create user`: creates a user who signs in with a password (`POST /api/v3/users`),
 * with the roles named by `--role`.
 */
export function createUserCommand(io: CliIo): Command {
  const command = new Command('user')
    .description('Create a user who signs in with a password (needs the right to manage users)')
    .requiredOption('--username <NAME>', 'name the user signs in with')
    .addOption(
      new Option(
        '--role <ROLE>',
        'give the user ROLE: Admin, Auditor or Member (repeatable)',
      ).argParser(collectValue),
    )
    .option('--display-name <NAME>', 'display name of the user')
    .option('--password-stdin', 'read the password from the first line of stdin')
  withServerOptions(command)

  return command.action((options: CreateUserOptions) => createUser(options, io))
}

async function createUser(options: CreateUserOptions, io: CliIo): Promise<void> {
  const prompt = { message: `Password for ${options.username}:`, confirm: true }
  const password = await readPassword(prompt, options, io)

  const client = connect(options, io)
  const roleIds = await roleIdsByName(client, options.role ?? [])
  const response = await client.send({
    method: 'POST',
    path: '/api/v3/users',
    json: {
      username: options.username,
      password,
      displayName: options.displayName,
      roleIds: roleIds.length > 0 ? roleIds : undefined,
    },
  })
  printLine(io, `created user ${options.username} (id ${await readUserId(response)})`)
}
