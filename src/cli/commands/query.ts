import { readFile } from 'node:fs/promises'

import { Command, Option } from 'commander'

import { UsageError } from '../cli-errors.js'
import type { CliIo } from '../cli-io.js'
import { checkResultTarget, formatOption, writeResult } from '../result-output.js'
import type { OutputFormat } from '../result-output.js'
import {
  connect,
  databaseFrom,
  requireDatabase,
  withDatabaseOption,
  withServerOptions,
} from '../server-options.js'
import type { DatabaseOption, ServerOptions } from '../server-options.js'

/** The query languages and the endpoint each one goes to. */
const endpoints = {
  sql: '/api/v3/query_sql',
  influxql: '/api/v3/query_influxql',
} as const

type Language = keyof typeof endpoints

interface QueryOptions extends ServerOptions, DatabaseOption {
  readonly file?: string
  readonly language: Language
  readonly format: OutputFormat
  readonly output?: string
}

/** `influxdb3 query`: runs SQL or InfluxQL and streams the result to stdout or a file. */
export function queryCommand(io: CliIo): Command {
  const command = new Command('query')
    .alias('q')
    .description('Run a SQL or InfluxQL query')
    .argument('[query]', 'the query to run; otherwise --file')
    .option('-f, --file <FILE>', 'read the query from FILE')
    .addOption(
      new Option('-l, --language <LANGUAGE>', 'query language')
        .choices(Object.keys(endpoints))
        .default('sql'),
    )
    .addOption(formatOption())
    .option('-o, --output <FILE>', 'write the result to FILE instead of stdout')
  withDatabaseOption(withServerOptions(command))

  return command.action((text: string | undefined, options: QueryOptions) =>
    query(text, options, io),
  )
}

async function query(text: string | undefined, options: QueryOptions, io: CliIo): Promise<void> {
  // InfluxQL may name the database in the statement itself (`FROM db.rp.m`).
  const database =
    options.language === 'sql' ? requireDatabase(options, io) : databaseFrom(options, io)
  checkResultTarget(options, io)
  const q = await queryText(text, options)

  const response = await connect(options, io).send({
    method: 'POST',
    path: endpoints[options.language],
    json: { db: database, q, format: options.format },
  })
  await writeResult(response, options, io)
}

async function queryText(text: string | undefined, options: QueryOptions): Promise<string> {
  if (text !== undefined && options.file !== undefined) {
    throw new UsageError('give the query either as an argument or with --file, not both')
  }
  if (options.file !== undefined) return readFile(options.file, 'utf8')
  if (text === undefined || text.trim() === '') {
    throw new UsageError('no query given: pass it as an argument or with --file')
  }
  return text
}
