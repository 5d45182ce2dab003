import { Command, Option } from 'commander'

import { UsageError } from '../cli-errors.js'
import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { readPassword } from '../password-input.js'
import type { PasswordStdinOption } from '../password-input.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import { collectValue, readUserId, roleIdsByName } from '../user-lookup.js'

interface CreateUserOptions extends ServerOptions, PasswordStdinOption {
  readonly username?: string
  readonly oauthId?: string
  readonly role?: readonly string[]
  readonly displayName?: string
}

/**
 * `influxdb3 create user`: creates a user (`POST /api/v3/users`) with the roles named by
 * `--role`, who signs in with a password (`--username`), through the identity provider
 * (`--oauth-id`, the provider's subject), or both.
 */
export function createUserCommand(io: CliIo): Command {
  const command = new Command('user')
    .description('Create a user who signs in with a password or through the identity provider')
    .option('--username <NAME>', 'name the user signs in with, with a password')
    .option('--oauth-id <SUB>', "the user's subject at the OAuth identity provider")
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
  const { username, oauthId } = options
  if (username === undefined && oauthId === undefined) {
    throw new UsageError('create user needs --username, --oauth-id or both')
  }
  const prompt = { message: `Password for ${username}:`, confirm: true }
  const password = username === undefined ? undefined : await readPassword(prompt, options, io)

  const client = connect(options, io)
  const roleIds = await roleIdsByName(client, options.role ?? [])
  const response = await client.send({
    method: 'POST',
    path: '/api/v3/users',
    json: {
      username,
      password,
      oauthId,
      displayName: options.displayName,
      roleIds: roleIds.length > 0 ? roleIds : undefined,
    },
  })
  const name = username ?? `with subject ${oauthId}`
  printLine(io, `created user ${name} (id ${await readUserId(response)})`)
}
