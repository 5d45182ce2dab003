import { Command } from 'commander'

import type { CliIo } from '../cli-io.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import { printTable, tableFormatOption } from '../table-output.js'
import type { TableFormat, TableRow } from '../table-output.js'
import { listRoles, listUsers, roleNames } from '../user-lookup.js'
import type { RoleSummary, UserSummary } from '../user-lookup.js'

interface ShowUsersOptions extends ServerOptions {
  readonly format: TableFormat
}

const columns = [
  'user_id',
  'username',
  'display_name',
  'roles',
  'oauth_id',
  'requires_password_reset',
  'created_at',
] as const

/**
 * `influxdb3 show users`: the users not deleted (`GET /api/v3/users`), with the names of their
 * roles (`GET /api/v3/roles`). Never a password hash: the server sends none.
 */
export function showUsersCommand(io: CliIo): Command {
  const command = new Command('users')
    .description('List the users (needs the right to read users and roles)')
    .addOption(tableFormatOption())
  withServerOptions(command)

  return command.action(async (options: ShowUsersOptions) => {
    const client = connect(options, io)
    const [users, roles] = await Promise.all([listUsers(client), listRoles(client)])

    const rows = users.map((user) => toRow(user, roles))
    printTable(columns, rows, options.format, io)
  })
}

function toRow(user: UserSummary, roles: readonly RoleSummary[]): TableRow {
  return {
    user_id: user.userId,
    username: user.username ?? null,
    display_name: user.displayName ?? null,
    roles: roleNames(user.roleIds, roles),
    oauth_id: user.oauthId ?? null,
    requires_password_reset: user.requiresPasswordReset ?? null,
    created_at: new Date(user.createdAt * 1000).toISOString(),
  }
}
