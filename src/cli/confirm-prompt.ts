import { once } from 'node:events'
import { createInterface } from 'node:readline'

import { UsageError } from './cli-errors.js'
import type { CliIo } from './cli-io.js'

/** The `-y, --yes` flag of destructive commands. */
export interface ConfirmOptions {
  readonly yes?: boolean
}

/** What `confirm()` asks, and what it says when no one can answer. */
export interface Confirmation {
  /** The question, shown on stderr and followed by `Enter 'yes' to confirm`. */
  readonly question: string
  /** The usage error's message when stdin is not a terminal and `--yes` is absent. */
  readonly refusal: string
}

/**
 * Asks the person at the terminal to confirm an irreversible step, unless `--yes` was given.
 * The prompt goes to stderr so that stdout stays data only.
 * @returns true when confirmed with `yes` or `y`.
 * @throws UsageError with `refusal` when stdin is not a terminal and `--yes` is absent.
 */
export async function confirm(
  confirmation: Confirmation,
  options: ConfirmOptions,
  io: CliIo,
): Promise<boolean> {
  if (options.yes === true) return true
  if (!io.stdin.isTTY) throw new UsageError(confirmation.refusal)

  io.stderr.stream.write(`${confirmation.question} Enter 'yes' to confirm\n`)
  const answer = (await readLine(io)).trim().toLowerCase()
  return answer === 'yes' || answer === 'y'
}

/**
 * Asks the person at the terminal to confirm deleting `what` (already quoted), unless `--yes`
 * was given; see `confirm()`.
 */
export function confirmDeletion(
  what: string,
  options: ConfirmOptions,
  io: CliIo,
): Promise<boolean> {
  const confirmation = {
    question: `Are you sure you want to delete ${what}?`,
    refusal: `refusing to delete ${what} without confirmation: pass --yes (-y)`,
  }
  return confirm(confirmation, options, io)
}

/** Reads one line from stdin; an empty string when stdin ends first. */
async function readLine(io: CliIo): Promise<string> {
  const lines = createInterface({ input: io.stdin.stream, terminal: false })
  const done = new AbortController()
  const signal = io.signal === undefined ? done.signal : AbortSignal.any([io.signal, done.signal])
  try {
    const [text] = await Promise.race([
      once(lines, 'line', { signal }),
      once(lines, 'close', { signal }).then(() => ['']),
    ])
    return String(text)
  } finally {
    done.abort()
    lines.close()
  }
}
