import { Command } from 'commander'

import type { CliIo } from '../cli-io.js'
import { checkResultTarget, formatOption, writeResult } from '../result-output.js'
import type { OutputFormat } from '../result-output.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'

interface ShowTokensOptions extends ServerOptions {
  readonly format: OutputFormat
  readonly output?: string
}

/**
 * `influxdb3 show tokens`: `SELECT * FROM system.tokens` on `_internal`, rendered by the server.
 * The table holds names, hash prefixes and permissions, never a token.
 */
export function showTokensCommand(io: CliIo): Command {
  const command = new Command('tokens')
    .description('List the tokens (needs an admin token)')
    .addOption(formatOption())
    .option('-o, --output <FILE>', 'write the list to FILE instead of stdout')
  withServerOptions(command)

  return command.action(async (options: ShowTokensOptions) => {
    checkResultTarget(options, io)
    const response = await connect(options, io).send({
      method: 'POST',
      path: '/api/v3/query_sql',
      json: { db: '_internal', q: 'SELECT * FROM system.tokens', format: options.format },
    })
    await writeResult(response, options, io)
  })
}
