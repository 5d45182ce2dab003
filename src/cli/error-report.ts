import { CommanderError } from 'commander'

import { OutputClosedError, UsageError } from './cli-errors.js'
import { colorEnabled } from './cli-io.js'
import type { CliIo } from './cli-io.js'
import { ServerError } from './http-client.js'
import { describeLineError } from './line-errors.js'

/** The exit codes of the command line. */
export const exitCodes = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const

/**
 * Reports `error` on stderr as `error: …` and returns the exit code: 2 for usage errors (commander
 * has already printed its own), 130 after Ctrl-C, 0 when stdout was closed by its reader, else 1.
 * The stack of an unexpected error is shown only when `verbose`.
 */
export function reportError(error: unknown, io: CliIo, verbose: boolean): number {
  if (io.signal?.aborted === true) return abortExitCode(io.signal.reason)
  if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage
  if (error instanceof UsageError) {
    printError(io, error.message)
    return exitCodes.usage
  }

  printError(io, messageOf(error))
  if (error instanceof ServerError) {
    printRejectedLines(io, error)
  } else if (verbose && error instanceof Error && error.stack !== undefined) {
    io.stderr.stream.write(`${redactTokens(error.stack)}\n`)
  }
  return exitCodes.failure
}

/** Writes `error: <message>` to stderr, the prefix in red on a colour terminal. */
export function printError(io: CliIo, message: string): void {
  const prefix = colorEnabled(io.stderr, io.env) ? '\u001b[31merror:\u001b[39m' : 'error:'
  io.stderr.stream.write(`${prefix} ${redactTokens(message)}\n`)
}

/**
 * Cuts every API token in `text` down to its prefix. Error messages may quote what was typed,
 * and a token pasted into the wrong flag must not reach a terminal log.
 */
export function redactTokens(text: string): string {
  return text.replace(/apiv3_[A-Za-z0-9_-]+/g, 'apiv3_…')
}

/** How many rejected lines are listed before the rest are only counted. */
const rejectedLinesShown = 20

function printRejectedLines(io: CliIo, error: ServerError): void {
  for (const line of error.lines.slice(0, rejectedLinesShown)) {
    io.stderr.stream.write(`  ${redactTokens(describeLineError(line))}\n`)
  }
  const more = error.lines.length - rejectedLinesShown
  if (more > 0) io.stderr.stream.write(`  … and ${more} more rejected lines\n`)
}

function abortExitCode(reason: unknown): number {
  return reason instanceof OutputClosedError ? exitCodes.ok : exitCodes.interrupted
}

function messageOf(error: unknown): string {
  if (error instanceof ServerError) return `${error.message} (HTTP ${error.status})`
  if (error instanceof Error) return error.message
  return String(error)
}
