import { once } from 'node:events'
import { createInterface } from 'node:readline'

import password from '@inquirer/password'

import { UsageError } from './cli-errors.js'
import type { CliIo } from './cli-io.js'

/** The `--password-stdin` flag of commands that take a password. */
export interface PasswordStdinOption {
  readonly passwordStdin?: boolean
}

/** How `readPassword()` asks for a password at a terminal. */
export interface PasswordPrompt {
  readonly message: string
  /** Ask a second time and insist that both answers match: for a new password. */
  readonly confirm?: boolean
}

/**
 * The password: the first line of stdin with `--password-stdin`, else typed at a hidden prompt
 * on the terminal. It is never echoed, and never part of an error message.
 * @throws UsageError when stdin is not a terminal and `--password-stdin` is absent, or when the
 * password is empty.
 */
export async function readPassword(
  prompt: PasswordPrompt,
  options: PasswordStdinOption,
  io: CliIo,
): Promise<string> {
  const secret = options.passwordStdin === true ? await readLine(io) : await ask(prompt, io)
  if (secret === '') throw new UsageError('the password is empty')

  return secret
}

/**
 * One line typed at the terminal, after `question` on stderr.
 * @throws UsageError with `refusal` when stdin is not a terminal.
 */
export async function askLine(question: string, refusal: string, io: CliIo): Promise<string> {
  if (!io.stdin.isTTY) throw new UsageError(refusal)

  io.stderr.stream.write(question)
  return (await readLine(io)).trim()
}

async function ask(prompt: PasswordPrompt, io: CliIo): Promise<string> {
  if (!io.stdin.isTTY) {
    throw new UsageError('no terminal to ask for the password: pass --password-stdin')
  }

  const first = await hiddenPrompt(prompt.message, io)
  if (prompt.confirm !== true) return first

  const again = await hiddenPrompt('Confirm password:', io)
  if (again !== first) throw new UsageError('the passwords do not match')
  return first
}

function hiddenPrompt(message: string, io: CliIo): Promise<string> {
  const context = { input: io.stdin.stream, output: io.stderr.stream, signal: io.signal }
  return password({ message, mask: true }, context)
}

/** Reads one line from stdin, without its line ending; an empty string when stdin ends first. */
async function readLine(io: CliIo): Promise<string> {
  const lines = createInterface({ input: io.stdin.stream, terminal: false, crlfDelay: Infinity })
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
