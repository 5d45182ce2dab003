import { Command } from 'commander'
import type { OutputConfiguration } from 'commander'

import { colorEnabled } from './cli-io.js'
import type { CliIo } from './cli-io.js'
import { authLoginCommand } from './commands/auth-login.js'
import { authLogoutCommand } from './commands/auth-logout.js'
import { authResetPasswordCommand } from './commands/auth-reset-password.js'
import { authWhoamiCommand } from './commands/auth-whoami.js'
import { createDatabaseCommand } from './commands/create-database.js'
import { createTableCommand } from './commands/create-table.js'
import { createTokenCommand } from './commands/create-token.js'
import { createUserCommand } from './commands/create-user.js'
import { deleteDatabaseCommand } from './commands/delete-database.js'
import { deleteTableCommand } from './commands/delete-table.js'
import { deleteTokenCommand } from './commands/delete-token.js'
import { deleteUserCommand } from './commands/delete-user.js'
import { manageInitAdminCommand } from './commands/manage-init-admin.js'
import { queryCommand } from './commands/query.js'
import { showDatabasesCommand } from './commands/show-databases.js'
import { showTokensCommand } from './commands/show-tokens.js'
import { showUsersCommand } from './commands/show-users.js'
import { updateUserRolesCommand } from './commands/update-user-roles.js'
import { updateUserCommand } from './commands/update-user.js'
import { userRequirePasswordResetCommand } from './commands/user-require-password-reset.js'
import { writeCommand } from './commands/write.js'
import { redactTokens } from './error-report.js'

/** The global options, which every subcommand also accepts. */
export interface GlobalOptions {
  readonly verbose?: boolean
}

/**
 * The `influxdb3` command tree for `argv`, writing to `io`. Build a fresh one for every parse:
 * commander keeps parsed values on the command objects.
 */
export async function buildProgram(io: CliIo, argv: readonly string[]): Promise<Command> {
  const program = new Command('influxdb3')
    .description('Fluxgate: a time-series database server that speaks the InfluxDB 3 API')
    .option('--verbose', 'show the stack of unexpected errors')
    .exitOverride()
    .configureOutput(outputFor(io))
    .showSuggestionAfterError()

  program
    .addCommand(await serveCommandFor(io, argv))
    .addCommand(writeCommand(io))
    .addCommand(queryCommand(io))
    .addCommand(
      group('create', 'Create a resource', [
        createDatabaseCommand(io),
        createTableCommand(io),
        createTokenCommand(io),
        createUserCommand(io),
      ]),
    )
    .addCommand(
      group('show', 'List resources', [
        showDatabasesCommand(io),
        showTokensCommand(io),
        showUsersCommand(io),
      ]),
    )
    .addCommand(
      group('update', 'Change a resource', [updateUserCommand(io), updateUserRolesCommand(io)]),
    )
    .addCommand(
      group('delete', 'Delete a resource', [
        deleteDatabaseCommand(io),
        deleteTableCommand(io),
        deleteTokenCommand(io),
        deleteUserCommand(io),
      ]),
    )
    .addCommand(group('manage', 'Set up a server', [manageInitAdminCommand(io)]))
    .addCommand(group('user', 'Act on a user', [userRequirePasswordResetCommand(io)]))
    .addCommand(
      group('auth', 'Sign in and out', [
        authLoginCommand(io),
        authLogoutCommand(io),
        authWhoamiCommand(io),
        authResetPasswordCommand(io),
      ]),
    )
  inheritSettings(program)
  return program
}

const serveDescription = 'Run the Fluxgate server'

/**
 * The server and its storage engines take a while to load, so they are loaded only when `serve`
 * is asked for; otherwise a stand-in lists the command in the help.
 */
async function serveCommandFor(io: CliIo, argv: readonly string[]): Promise<Command> {
  if (!argv.includes('serve')) return new Command('serve').description(serveDescription)

  const { serveCommand } = await import('./commands/serve.js')
  return serveCommand(io)
}

function group(name: string, description: string, commands: Command[]): Command {
  const parent = new Command(name).description(description)
  for (const command of commands) parent.addCommand(command)
  return parent
}

/**
 * Gives every subcommand the root's output and exit handling. `addCommand()` copies nothing,
 * and a subcommand without the exit override would end the process on a parse error.
 */
function inheritSettings(parent: Command): void {
  for (const command of parent.commands) {
    command.copyInheritedSettings(parent)
    inheritSettings(command)
  }
}

function outputFor(io: CliIo): OutputConfiguration {
  return {
    writeOut: (text) => io.stdout.stream.write(text),
    writeErr: (text) => io.stderr.stream.write(text),
    outputError: (text, write) => {
      const safe = redactTokens(text)
      write(colorEnabled(io.stderr, io.env) ? paintPrefix(safe) : safe)
    },
    getOutHelpWidth: () => io.stdout.columns ?? 80,
    getErrHelpWidth: () => io.stderr.columns ?? 80,
    getOutHasColors: () => colorEnabled(io.stdout, io.env),
    getErrHasColors: () => colorEnabled(io.stderr, io.env),
  }
}

function paintPrefix(text: string): string {
  return text.replace(/^error:/, '\u001b[31merror:\u001b[39m')
}
