import { Option } from 'commander'

import { colorEnabled, printLine } from './cli-io.js'
import type { CliIo } from './cli-io.js'

/** How a created token is printed: the reference's text block, or the server's JSON object. */
export const tokenFormats = ['text', 'json'] as const

/** One of `tokenFormats`. */
export type TokenFormat = (typeof tokenFormats)[number]

/**
 * The token object of the create and regenerate endpoints (`id`, `name`, `token`, `hash`,
 * `created_at`, `expiry`), kept whole so that `--format json` prints what the server sent.
 */
export type IssuedToken = Readonly<Record<string, unknown>> & { readonly token: string }

/** The `--format` option of `create token`, `text` by default. */
export function tokenFormatOption(): Option {
  return new Option('--format <FORMAT>', 'output format').choices(tokenFormats).default('text')
}

/**
 * Reads the token object from the body of a successful create or regenerate response.
 * @throws Error when the body holds no token; the message never repeats the body.
 */
export async function readIssuedToken(response: Response): Promise<IssuedToken> {
  const body: unknown = await response.json().catch(() => undefined)
  if (!isIssuedToken(body)) throw new Error('the server answered without a token')

  return body
}

/**
 * Prints a new token on stdout, the only place it ever appears. Text mode shows it with its
 * `Authorization` header and a reminder to store it, styled only on a colour terminal.
 */
export function printIssuedToken(issued: IssuedToken, format: TokenFormat, io: CliIo): void {
  if (format === 'json') {
    printLine(io, JSON.stringify(issued, null, 2))
    return
  }

  const style = colorEnabled(io.stdout, io.env) ? ansi : plain
  const { token } = issued
  printLine(io, '')
  printLine(io, style.underline('New token created successfully!'))
  printLine(io, '')
  printLine(io, `${style.bold('Token:')} ${token}`)
  printLine(io, `${style.bold('HTTP Requests Header:')} Authorization: Bearer ${token}`)
  printLine(io, '')
  printLine(io, `${style.red(style.bold('IMPORTANT:'))} ${storeWarning}`)
}

const storeWarning = 'Store this token securely, as it will not be shown again.'

type Paint = (text: string) => string

const ansi: Record<'bold' | 'underline' | 'red', Paint> = {
  bold: (text) => `\u001b[1m${text}\u001b[22m`,
  underline: (text) => `\u001b[4m${text}\u001b[24m`,
  red: (text) => `\u001b[31m${text}\u001b[39m`,
}

const plain: typeof ansi = { bold: same, underline: same, red: same }

function same(text: string): string {
  return text
}

function isIssuedToken(body: unknown): body is IssuedToken {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    'token' in body &&
    typeof body.token === 'string'
  )
}
