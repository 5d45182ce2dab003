import { Readable, Writable } from 'node:stream'

import type { CliIo } from './cli-io.js'

/** How the memory streams of `memoryIo()` should look to a command. */
export interface MemoryIoOptions {
  /** What stdin holds; empty by default. A stream stays open for as long as it does. */
  readonly stdin?: string | Uint8Array | Readable
  readonly stdinIsTTY?: boolean
  readonly stdoutIsTTY?: boolean
  readonly stderrIsTTY?: boolean
  /** The whole environment; nothing from `process.env` leaks in. */
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly signal?: AbortSignal
}

/** A `CliIo` over memory, and what the command wrote to it. */
export interface MemoryIo {
  readonly io: CliIo
  stdout(): string
  stdoutBytes(): Buffer
  stderr(): string
}

/**
 * Streams in memory for running the command line in-process, as tests do.
 *
 * @example
 * const mem = memoryIo({ env: { INFLUXDB3_HOST_URL: server.url } })
 * const code = await run(['show', 'databases', '--format', 'json'], mem.io)
 * JSON.parse(mem.stdout())
 */
export function memoryIo(options: MemoryIoOptions = {}): MemoryIo {
  const stdout = new Collector()
  const stderr = new Collector()
  const io: CliIo = {
    stdout: { stream: stdout, isTTY: options.stdoutIsTTY ?? false },
    stderr: { stream: stderr, isTTY: options.stderrIsTTY ?? false },
    stdin: { stream: toReadable(options.stdin), isTTY: options.stdinIsTTY ?? false },
    env: options.env ?? {},
    signal: options.signal,
  }
  return {
    io,
    stdout: () => stdout.bytes().toString('utf8'),
    stdoutBytes: () => stdout.bytes(),
    stderr: () => stderr.bytes().toString('utf8'),
  }
}

function toReadable(stdin: MemoryIoOptions['stdin']): Readable {
  if (stdin instanceof Readable) return stdin
  return Readable.from(stdin === undefined ? [] : [Buffer.from(stdin)])
}

/** A writable stream that keeps everything written to it. */
class Collector extends Writable {
  readonly #chunks: Buffer[] = []

  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.#chunks.push(Buffer.from(chunk))
    done()
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks)
  }
}
