import { once } from 'node:events'
import { writeFile } from 'node:fs/promises'

import { Option } from 'commander'

import { UsageError } from './cli-errors.js'
import type { CliIo } from './cli-io.js'

/** The result formats the server renders. */
export const outputFormats = ['pretty', 'json', 'jsonl', 'csv', 'parquet'] as const

/** One of `outputFormats`. */
export type OutputFormat = (typeof outputFormats)[number]

/** Where a result goes: a file when `output` is set, else stdout. */
export interface ResultTarget {
  readonly format: OutputFormat
  readonly output?: string
}

/** The `--format` option, `pretty` by default. */
export function formatOption(): Option {
  return new Option('--format <FORMAT>', 'output format').choices(outputFormats).default('pretty')
}

/**
 * Refuses to print Parquet on a terminal, where the bytes would only garble the screen.
 * Call it before sending the request.
 * @throws UsageError for `parquet` without `--output` while stdout is a terminal.
 */
export function checkResultTarget(target: ResultTarget, io: CliIo): void {
  if (target.format !== 'parquet' || target.output !== undefined || !io.stdout.isTTY) return

  throw new UsageError('parquet output is binary: pass -o/--output <FILE> or redirect stdout')
}

/**
 * Streams the body of `response` to the target as received. On stdout a text result that does
 * not end in a newline gets one, so the shell prompt starts on its own line.
 */
export async function writeResult(
  response: Response,
  target: ResultTarget,
  io: CliIo,
): Promise<void> {
  const body = response.body
  if (body === null) return

  if (target.output !== undefined) {
    await writeFile(target.output, body, { signal: io.signal })
    return
  }
  const last = await copyToStdout(body, io)
  if (target.format !== 'parquet' && last !== undefined && last !== newline) {
    io.stdout.stream.write('\n')
  }
}

const newline = 0x0a

/** Copies `body` to stdout, waiting when it is full; resolves to the last byte written. */
async function copyToStdout(body: AsyncIterable<Uint8Array>, io: CliIo) {
  const out = io.stdout.stream
  let last: number | undefined
  for await (const chunk of body) {
    if (chunk.length === 0) continue

    last = chunk[chunk.length - 1]
    if (!out.write(chunk)) await once(out, 'drain', { signal: io.signal })
  }
  return last
}
