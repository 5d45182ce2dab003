import type { Readable, Writable } from 'node:stream'

/** A stream a command writes to, and whether a person is watching it. */
export interface CliOutput {
  readonly stream: Writable
  /** True when the stream is a terminal: prompts, colour and progress bars only appear then. */
  readonly isTTY: boolean
  /** Width of the terminal in columns, when known. */
  readonly columns?: number
}

/** The stream a command reads from, and whether a person is typing into it. */
export interface CliInput {
  readonly stream: Readable
  readonly isTTY: boolean
}

/**
 * Everything a command may touch outside its arguments. `main()` passes the process's own
 * streams; tests pass memory streams to `run()` and read what was written.
 */
export interface CliIo {
  /** Data: query results, listings, success lines. */
  readonly stdout: CliOutput
  /** Diagnostics: errors, prompts, progress. */
  readonly stderr: CliOutput
  readonly stdin: CliInput
  readonly env: Readonly<Record<string, string | undefined>>
  /** Aborted on Ctrl-C or when stdout closes; every request and prompt listens to it. */
  readonly signal?: AbortSignal
}

/** The process's own streams and environment. */
export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: {
      stream: process.stdout,
      isTTY: process.stdout.isTTY,
      columns: process.stdout.columns,
    },
    stderr: {
      stream: process.stderr,
      isTTY: process.stderr.isTTY,
      columns: process.stderr.columns,
    },
    stdin: { stream: process.stdin, isTTY: process.stdin.isTTY },
    env: process.env,
    signal,
  }
}

/** True when colour may be written to `output`: a terminal, and `NO_COLOR` unset or empty. */
export function colorEnabled(output: CliOutput, env: CliIo['env']): boolean {
  return output.isTTY && (env.NO_COLOR ?? '') === ''
}

/** Writes `text` to stdout. */
export function printLine(io: CliIo, text: string): void {
  io.stdout.stream.write(`${text}\n`)
}
