import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'

import { Command, InvalidArgumentError } from 'commander'

import { UsageError } from '../cli-errors.js'
import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { splitLineProtocol } from '../line-protocol-splitter.js'
import { precisions, writeBatches } from '../line-protocol-writer.js'
import type { Precision, WriteSettings } from '../line-protocol-writer.js'
import { progressBar, silentProgress } from '../progress-bar.js'
import type { ProgressBar } from '../progress-bar.js'
import {
  connect,
  requireDatabase,
  withDatabaseOption,
  withServerOptions,
} from '../server-options.js'
import type { DatabaseOption, ServerOptions } from '../server-options.js'

/** The size at which input is split into several requests: the server's default body limit. */
export const defaultMaxRequestSize = 10 * 1024 * 1024

interface WriteOptions extends ServerOptions, DatabaseOption {
  readonly file?: string
  readonly precision?: Precision
  readonly acceptPartial?: boolean
  readonly sync: boolean
  readonly gzip?: boolean
  readonly maxRequestSize: number
  readonly quiet?: boolean
}

/** A source of line protocol and, when known, its size in bytes. */
interface WriteInput {
  readonly source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>
  readonly size?: number
}

/** `influxdb3 write`: sends line protocol to `POST /api/v3/write_lp`. */
export function writeCommand(io: CliIo): Command {
  const command = new Command('write')
    .alias('w')
    .description('Write line protocol to a database')
    .argument('[line-protocol]', 'line protocol to write; otherwise --file or stdin')
    .option('-f, --file <FILE>', 'read line protocol from FILE')
    .option('-p, --precision <UNIT>', 'timestamp precision: auto, s, ms, us, ns', parsePrecision)
    .option('--accept-partial', 'write the valid lines even when some lines are rejected')
    .option('--no-sync', 'answer before the write is durable')
    .option('--gzip', 'compress request bodies with gzip')
    .option(
      '--max-request-size <SIZE>',
      'largest request body, e.g. 1048576, 512KiB or 10MiB',
      parseByteSize,
      defaultMaxRequestSize,
    )
    .option('-q, --quiet', 'print nothing on success')
  withDatabaseOption(withServerOptions(command))

  return command.action((text: string | undefined, options: WriteOptions) =>
    write(text, options, io),
  )
}

async function write(text: string | undefined, options: WriteOptions, io: CliIo): Promise<void> {
  const settings = writeSettings(options, io)
  const input = await openInput(text, options, io)
  const client = connect(options, io)

  const progress = progressFor(input, options, io)
  try {
    const batches = splitLineProtocol(input.source, options.maxRequestSize)
    await writeBatches(batches, { client, settings, progress })
  } finally {
    progress.finish()
  }

  if (options.quiet !== true) printLine(io, 'success')
}

function writeSettings(options: WriteOptions, io: CliIo): WriteSettings {
  return {
    database: requireDatabase(options, io),
    precision: options.precision,
    acceptPartial: options.acceptPartial === true,
    noSync: !options.sync,
    gzip: options.gzip === true,
  }
}

/** A bar for inputs that take several requests; never on a pipe, never when quiet. */
function progressFor(input: WriteInput, options: WriteOptions, io: CliIo): ProgressBar {
  const { size } = input
  if (size === undefined || size <= options.maxRequestSize || options.quiet === true) {
    return silentProgress
  }
  return progressBar(io.stderr, size)
}

async function openInput(
  text: string | undefined,
  options: WriteOptions,
  io: CliIo,
): Promise<WriteInput> {
  if (text !== undefined && options.file !== undefined) {
    throw new UsageError('give line protocol either as an argument or with --file, not both')
  }
  if (text !== undefined) return { source: [text] }
  if (options.file !== undefined) {
    const { size } = await stat(options.file)
    return { source: createReadStream(options.file), size }
  }
  if (io.stdin.isTTY) {
    throw new UsageError('no line protocol given: pass it as an argument, with --file, or on stdin')
  }
  return { source: io.stdin.stream }
}

/**
 * Parses `-p`.
 * @throws InvalidArgumentError `unrecognized precision unit: <value>`.
 */
export function parsePrecision(value: string): Precision {
  const precision = precisions.find((candidate) => candidate === value)
  if (precision === undefined)
    throw new InvalidArgumentError(`unrecognized precision unit: ${value}`)

  return precision
}

const byteUnits: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
}

/**
 * Parses a positive byte count: a bare number of bytes, or a number with a binary unit
 * (`512KiB`, `10mb`; `kb`, `mb`, `gb` count in 1024s, as the server's `--max-http-request-size`).
 * @throws InvalidArgumentError for anything else.
 */
export function parseByteSize(value: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim())
  const unit = byteUnits[match?.[2]?.toLowerCase() ?? 'none']
  const bytes = unit === undefined ? NaN : Number(match?.[1]) * unit
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new InvalidArgumentError('expected a positive size in bytes, e.g. 1048576 or 10MiB')
  }
  return bytes
}
