import { Command } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { confirmDeletion } from '../confirm-prompt.js'
import type { ConfirmOptions } from '../confirm-prompt.js'
import {
  connect,
  requireDatabase,
  withDatabaseOption,
  withServerOptions,
} from '../server-options.js'
import type { DatabaseOption, ServerOptions } from '../server-options.js'

interface DeleteTableOptions extends ServerOptions, DatabaseOption, ConfirmOptions {}

/** `influxdb3 delete table <NAME>`: `DELETE /api/v3/configure/table`, after confirming. */
export function deleteTableCommand(io: CliIo): Command {
  const command = new Command('table')
    .description('Delete a table')
    .argument('<NAME>', 'name of the table to delete')
    .option('-y, --yes', 'delete without asking for confirmation')
  withDatabaseOption(withServerOptions(command))

  return command.action(async (table: string, options: DeleteTableOptions) => {
    const db = requireDatabase(options, io)
    const quoted = `${JSON.stringify(db)}.${JSON.stringify(table)}`
    if (!(await confirmDeletion(quoted, options, io))) {
      throw new Error('cannot delete the table without confirmation')
    }

    await connect(options, io).call({
      method: 'DELETE',
      path: '/api/v3/configure/table',
      query: { db, table },
    })
    printLine(io, `Table ${quoted} deleted successfully`)
  })
}
