import { Command } from 'commander'

import type { CliIo } from '../cli-io.js'
import { checkResultTarget, formatOption, writeResult } from '../result-output.js'
import type { OutputFormat } from '../result-output.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'

interface ShowDatabasesOptions extends ServerOptions {
  readonly showDeleted?: boolean
  readonly format: OutputFormat
}

/** `influxdb3 show databases`: `GET /api/v3/configure/database`, rendered by the server. */
export function showDatabasesCommand(io: CliIo): Command {
  const command = new Command('databases')
    .description('List the databases')
    .option('--show-deleted', 'include deleted databases')
    .addOption(formatOption())
  withServerOptions(command)

  return command.action(async (options: ShowDatabasesOptions) => {
    checkResultTarget(options, io)
    const response = await connect(options, io).send({
      method: 'GET',
      path: '/api/v3/configure/database',
      query: { format: options.format, show_deleted: options.showDeleted ? 'true' : undefined },
    })
    await writeResult(response, options, io)
  })
}
