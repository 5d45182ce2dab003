import { Command } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'

interface CreateDatabaseOptions extends ServerOptions {
  readonly retentionPeriod?: string
}

/** `influxdb3 create database <NAME>`: `POST /api/v3/configure/database`. */
export function createDatabaseCommand(io: CliIo): Command {
  const command = new Command('database')
    .description('Create a database')
    .argument('<NAME>', 'name of the new database')
    .option(
      '--retention-period <DURATION>',
      'how long data is kept, e.g. 30d, 2w, 1y (h, d, w, mo, y)',
    )
  withServerOptions(command)

  return command.action(async (name: string, options: CreateDatabaseOptions) => {
    await connect(options, io).call({
      method: 'POST',
      path: '/api/v3/configure/database',
      json: { db: name, retention_period: options.retentionPeriod },
    })
    printLine(io, `Database ${JSON.stringify(name)} created successfully`)
  })
}
