import { Command, InvalidArgumentError } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { confirmDeletion } from '../confirm-prompt.js'
import type { ConfirmOptions } from '../confirm-prompt.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'

interface DeleteDatabaseOptions extends ServerOptions, ConfirmOptions {
  readonly hardDelete?: string
  readonly dataOnly?: boolean
  readonly removeTables?: boolean
}

/** `influxdb3 delete database <NAME>`: `DELETE /api/v3/configure/database`, after confirming. */
export function deleteDatabaseCommand(io: CliIo): Command {
  const command = new Command('database')
    .description('Delete a database')
    .argument('<NAME>', 'name of the database to delete')
    .option(
      '--hard-delete <WHEN>',
      'when the data is removed for good: never, now, default or an RFC 3339 time',
      parseHardDelete,
    )
    .option('--data-only', 'delete the data but keep the database and its schema')
    .option('--remove-tables', 'with --data-only, also remove the table schemas')
    .option('-y, --yes', 'delete without asking for confirmation')
  withServerOptions(command)

  return command.action(async (name: string, options: DeleteDatabaseOptions) => {
    const quoted = JSON.stringify(name)
    if (!(await confirmDeletion(quoted, options, io))) {
      throw new Error('cannot delete the database without confirmation')
    }

    await connect(options, io).call({
      method: 'DELETE',
      path: '/api/v3/configure/database',
      query: {
        db: name,
        hard_delete_at: options.hardDelete,
        data_only: options.dataOnly ? 'true' : undefined,
        remove_tables: options.removeTables ? 'true' : undefined,
      },
    })
    printLine(io, `Database ${quoted} deleted successfully`)
  })
}

/**
 * Parses `--hard-delete`.
 * @throws InvalidArgumentError for anything but `never`, `now`, `default` or a timestamp.
 */
export function parseHardDelete(value: string): string {
  if (value === 'never' || value === 'now' || value === 'default') return value
  if (!Number.isNaN(Date.parse(value))) return value

  throw new InvalidArgumentError('expected never, now, default or an RFC 3339 time')
}
