import type { Command } from 'commander'

import { InterruptedError, OutputClosedError } from './cli-errors.js'
import { processIo } from './cli-io.js'
import type { CliIo } from './cli-io.js'
import { reportError } from './error-report.js'
import { buildProgram } from './program.js'
import type { GlobalOptions } from './program.js'

export type { CliInput, CliIo, CliOutput } from './cli-io.js'

/**
 * Runs the command line `argv` (without the node and script paths) against `io` and resolves to
 * the exit code. Never throws and never exits the process: every failure is reported on
 * `io.stderr` and becomes a code (1 failure, 2 usage, 130 Ctrl-C).
 *
 * @example
 * const code = await run(['query', '-d', 'metrics', 'SELECT 1'], processIo())
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let program: Command | undefined
  try {
    program = await buildProgram(io, argv)
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (error) {
    return reportError(error, io, program?.opts<GlobalOptions>().verbose === true)
  }
}

/**
 * The entry point of `bin/influxdb3`: runs `argv` against the process's streams and sets
 * `process.exitCode`. Ctrl-C aborts the command under way (a second one ends the process), and a
 * closed stdout, as after `| head`, ends it quietly.
 */
export async function main(argv: string[]): Promise<void> {
  const controller = new AbortController()
  const interrupt = () => controller.abort(new InterruptedError())
  const closeOutput = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') controller.abort(new OutputClosedError())
  }
  process.once('SIGINT', interrupt)
  process.stdout.on('error', closeOutput)
  try {
    process.exitCode = await run(argv, processIo(controller.signal))
  } finally {
    process.off('SIGINT', interrupt)
    process.stdout.off('error', closeOutput)
  }
}
