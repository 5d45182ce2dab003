import { Command } from 'commander'

import { UsageError } from '../cli-errors.js'
import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { readPassword } from '../password-input.js'
import type { PasswordStdinOption } from '../password-input.js'
import { connectWithoutToken, withHostOption } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'

interface InitAdminOptions extends Pick<ServerOptions, 'host'>, PasswordStdinOption {
  readonly username?: string
  readonly displayName?: string
  readonly oauthId?: string
}

/** What `POST /api/v3/configure/user` answers, as far as this command reads it. */
interface BootstrapAnswer {
  readonly userId: number
  readonly username?: string
  readonly operatorToken: string
}

/**
 * `influxdb3 manage init-admin`: creates the first user of a fresh server, with the Admin role,
 * and prints the operator token the server makes with it. The server answers only on loopback
 * and only once. On a server with OAuth sign-in alone, `--oauth-id` names the admin instead of
 * `--username` and a password.
 */
export function manageInitAdminCommand(io: CliIo): Command {
  const command = new Command('init-admin')
    .description('Create the first admin user and the operator token of a fresh server')
    .option('--username <NAME>', 'name of the admin user, who signs in with a password')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--display-name <NAME>', 'display name of the admin user')
    .option('--oauth-id <SUB>', "the user's subject at the OAuth identity provider")
  withHostOption(command)

  return command.action((options: InitAdminOptions) => initAdmin(options, io))
}

async function initAdmin(options: InitAdminOptions, io: CliIo): Promise<void> {
  const { username, oauthId } = options
  if (username === undefined && oauthId === undefined) {
    throw new UsageError('init-admin needs --username, --oauth-id or both')
  }
  const prompt = { message: `Password for ${username}:`, confirm: true }
  const password = username === undefined ? undefined : await readPassword(prompt, options, io)

  const response = await connectWithoutToken(options, io).send({
    method: 'POST',
    path: '/api/v3/configure/user',
    json: {
      username,
      password,
      displayName: options.displayName,
      oauthId: options.oauthId,
    },
  })
  printCreated(await readBootstrapAnswer(response), username ?? `with subject ${oauthId}`, io)
}

/** The operator token appears here once and nowhere else; the server keeps only its hash. */
function printCreated(answer: BootstrapAnswer, name: string, io: CliIo): void {
  printLine(io, `Admin user ${answer.username ?? name} created (user id ${answer.userId})`)
  printLine(io, `Operator token: ${answer.operatorToken}`)
  printLine(
    io,
    'IMPORTANT: keep the operator token somewhere safe, it will not be shown again. ' +
      'It recovers access when no admin can sign in.',
  )
}

async function readBootstrapAnswer(response: Response): Promise<BootstrapAnswer> {
  const body: unknown = await response.json().catch(() => undefined)
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  if (typeof fields.operatorToken !== 'string' || typeof fields.userId !== 'number') {
    throw new Error('the server answered without the operator token')
  }
  return {
    userId: fields.userId,
    username: typeof fields.username === 'string' ? fields.username : undefined,
    operatorToken: fields.operatorToken,
  }
}
