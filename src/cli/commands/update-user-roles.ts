import { Command, Option } from 'commander'

import { UsageError } from '../cli-errors.js'
import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import { collectValue, findUser, readRoles, roleIdsByName } from '../user-lookup.js'

interface UpdateUserRolesOptions extends ServerOptions {
  readonly username: string
  readonly role?: readonly string[]
  /** False with `--no-roles`. */
  readonly roles: boolean
}

/**
 * `influxdb3 update user-roles`: replaces a user's roles with those named by `--role`, or with
 * none under `--no-roles` (`PUT /api/v3/users/{id}/roles`).
 */
export function updateUserRolesCommand(io: CliIo): Command {
  const command = new Command('user-roles')
    .description("Replace a user's roles (needs the rights to manage users and roles)")
    .requiredOption('--username <NAME>', 'the user to change')
    .addOption(
      new Option(
        '--role <ROLE>',
        'the user holds ROLE: Admin, Auditor or Member (repeatable)',
      ).argParser(collectValue),
    )
    .option('--no-roles', 'remove every role of the user')
  withServerOptions(command)

  return command.action(async (options: UpdateUserRolesOptions) => {
    const names = requestedRoles(options)
    const client = connect(options, io)
    const user = await findUser(client, options.username)
    const roleIds = await roleIdsByName(client, names)

    const response = await client.send({
      method: 'PUT',
      path: `/api/v3/users/${user.userId}/roles`,
      json: { roleIds },
    })
    const held = (await readRoles(response)).map((role) => role.name)
    printLine(io, `user ${options.username} now holds ${describeRoles(held)}`)
  })
}

/**
 * The role names asked for. Replacing every role with none is easy to do by mistake, so it
 * takes its own flag.
 * @throws UsageError for neither `--role` nor `--no-roles`, or both.
 */
function requestedRoles(options: UpdateUserRolesOptions): readonly string[] {
  if (options.roles === false) {
    if (options.role !== undefined) throw new UsageError('--role and --no-roles do not go together')
    return []
  }
  if (options.role === undefined) {
    throw new UsageError('no role given: pass --role at least once, or --no-roles')
  }
  return options.role
}

function describeRoles(names: readonly string[]): string {
  if (names.length === 0) return 'no roles'
  return `${names.length === 1 ? 'role' : 'roles'} ${names.join(', ')}`
}
