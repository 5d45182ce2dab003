import { Command, InvalidArgumentError } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import {
  connect,
  requireDatabase,
  withDatabaseOption,
  withServerOptions,
} from '../server-options.js'
import type { DatabaseOption, ServerOptions } from '../server-options.js'

/** The field types a table may declare up front. */
export const fieldTypes = ['utf8', 'int64', 'uint64', 'float64', 'bool'] as const

/** A declared field: its name and one of `fieldTypes`. */
export interface FieldDefinition {
  readonly name: string
  readonly type: (typeof fieldTypes)[number]
}

interface CreateTableOptions extends ServerOptions, DatabaseOption {
  readonly tags: string[]
  readonly fields?: FieldDefinition[]
}

/** `influxdb3 create table <NAME>`: `POST /api/v3/configure/table`. */
export function createTableCommand(io: CliIo): Command {
  const command = new Command('table')
    .description('Create a table with its tags and, optionally, its fields')
    .argument('<NAME>', 'name of the new table')
    .requiredOption('--tags <TAGS>', 'comma-separated tag columns, e.g. host,region', parseTags)
    .option(
      '--fields <FIELDS>',
      `comma-separated name:type pairs; types: ${fieldTypes.join(', ')}`,
      parseFields,
    )
  withDatabaseOption(withServerOptions(command))

  return command.action(async (table: string, options: CreateTableOptions) => {
    const db = requireDatabase(options, io)
    await connect(options, io).call({
      method: 'POST',
      path: '/api/v3/configure/table',
      json: { db, table, tags: options.tags, fields: options.fields ?? [] },
    })
    printLine(io, `Table ${JSON.stringify(db)}.${JSON.stringify(table)} created successfully`)
  })
}

/**
 * Parses `--tags a,b`.
 * @throws InvalidArgumentError when no tag is named.
 */
export function parseTags(value: string): string[] {
  const tags = splitList(value)
  if (tags.length === 0) throw new InvalidArgumentError('expected at least one tag name')

  return tags
}

/**
 * Parses `--fields f:utf8,g:int64`.
 * @throws InvalidArgumentError for a pair without a name or with an unknown type.
 */
export function parseFields(value: string): FieldDefinition[] {
  return splitList(value).map(parseField)
}

function parseField(pair: string): FieldDefinition {
  const colon = pair.lastIndexOf(':')
  const name = pair.slice(0, colon).trim()
  const type = fieldTypes.find((candidate) => candidate === pair.slice(colon + 1).trim())
  if (colon <= 0 || name === '' || type === undefined) {
    const types = fieldTypes.join(', ')
    throw new InvalidArgumentError(
      `invalid field ${JSON.stringify(pair)}: expected name:type, type one of ${types}`,
    )
  }
  return { name, type }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}
