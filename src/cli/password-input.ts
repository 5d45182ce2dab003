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

/** A password change: the current password and the new one. */
export interface PasswordChange {
  readonly current: string
  readonly next: string
}

/**
 * The current and the new password: the first and second lines of stdin with
 * `--password-stdin`, else typed at hidden prompts, the new one twice. Neither is ever echoed.
 * @throws UsageError when stdin is not a terminal and `--password-stdin` is absent, when either
 * password is empty, or when the two entries of the new one differ.
 */
export async function readPasswordChange(
  options: PasswordStdinOption,
  io: CliIo,
): Promise<PasswordChange> {
  const [current = '', next = ''] =
    options.passwordStdin === true ? await readLines(2, io) : await askChange(io)
  if (current === '') throw new UsageError('the current password is empty')
  if (next === '') throw new UsageError('the new password is empty')

  return { current, next }
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

async function askChange(io: CliIo): Promise<string[]> {
  const current = await ask({ message: 'Current password:' }, io)
  const next = await ask({ message: 'New password:', confirm: true }, io)
  return [current, next]
}

function hiddenPrompt(message: string, io: CliIo): Promise<string> {
  const context = { input: io.stdin.stream, output: io.stderr.stream, signal: io.signal }
  return password({ message, mask: true }, context)
}

/** Reads one line from stdin, without its line ending; an empty string when stdin ends first. */
async function readLine(io: CliIo): Promise<string> {
  const [line] = await readLines(1, io)
  return line ?? ''
}

/**
 * Reads up to `count` lines from stdin with one reader: a second reader would lose what the
 * first had buffered. Fewer come back when stdin ends first.
 */
async function readLines(count: number, io: CliIo): Promise<string[]> {
  const lines = createInterface({ input: io.stdin.stream, terminal: false, crlfDelay: Infinity })
  const stop = () => lines.close()
  io.signal?.addEventListener('abort', stop, { once: true })
  const read: string[] = []
  try {
    for await (const line of lines) {
      read.push(line)
      if (read.length === count) break
    }
    return read
  } finally {
    io.signal?.removeEventListener('abort', stop)
    lines.close()
  }
}
