import { Command } from 'commander'

import { generateApiToken } from '../../auth/index.js'
import { UsageError } from '../cli-errors.js'
import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { confirm } from '../confirm-prompt.js'
import type { ConfirmOptions } from '../confirm-prompt.js'
import type { HttpClient, HttpRequest } from '../http-client.js'
import { writeAdminTokenFile } from '../offline-token-file.js'
import {
  connect,
  connectWithoutToken,
  hostFrom,
  tokenFrom,
  withServerOptions,
} from '../server-options.js'
import type { ServerOptions } from '../server-options.js'
import { credentialsStoreFor } from '../stored-session.js'
import { parseExpiry } from '../token-expiry.js'
import { resolveTokenMode } from '../token-mode.js'
import type { TokenMode, TokenModeFlags } from '../token-mode.js'
import { printIssuedToken, readIssuedToken, tokenFormatOption } from '../token-output.js'
import type { TokenFormat } from '../token-output.js'
import { collectPermission } from '../token-permission.js'

interface CreateTokenOptions extends ServerOptions, ConfirmOptions, TokenModeFlags {
  readonly format: TokenFormat
}

/**
 * `influxdb3 create token`: the operator token (`--admin`), a named admin token
 * (`--admin --name`), a new secret for the operator token (`--admin --regenerate`), an admin
 * token file made without a server (`--admin --offline`), or a resource token (`--permission`).
 */
export function createTokenCommand(io: CliIo): Command {
  const command = new Command('token')
    .description('Create an admin or resource token')
    .usage('--admin [options] | --permission <PERMISSION>... --name <NAME> [options]')
    .option('--admin', 'create an admin token: the operator token _admin, unless --name is given')
    .option(
      '--permission <PERMISSION>',
      'grant TYPE:NAMES:ACTIONS, e.g. db:a,b:read,write or system:*:read (repeatable)',
      collectPermission,
    )
    .option('--name <NAME>', 'name of the token (a named admin token with --admin)')
    .option(
      '--expiry <DURATION>',
      'expire after DURATION, e.g. 2s, 10m, 1h, 7d, 1w, 1y',
      parseExpiry,
    )
    .option(
      '--regenerate',
      'give the operator token a new secret, the old one stops working (--host may name the ' +
        'recovery listener, which needs no token)',
    )
    .option('-y, --yes', 'with --regenerate, do not ask for confirmation')
    .option('--offline', 'write an admin token file for serve --admin-token-file, without a server')
    .option('--output-file <FILE>', 'where --offline writes the token file (mode 0600)')
    .addOption(tokenFormatOption())
  withServerOptions(command)

  return command.action((options: CreateTokenOptions) => createToken(options, io))
}

async function createToken(options: CreateTokenOptions, io: CliIo): Promise<void> {
  const mode = resolveTokenMode(options)
  if (mode.kind === 'offline-admin') return createOfflineToken(mode, options.format, io)
  if (mode.kind === 'regenerate' && !(await confirmRegeneration(options, io))) {
    throw new Error('cannot regenerate the operator token without confirmation')
  }

  const client =
    mode.kind === 'operator'
      ? connectWithoutToken(options, io)
      : await connectWithCredential(options, mode, io)
  const response = await client.send(requestFor(mode))
  printIssuedToken(await readIssuedToken(response), options.format, io)
}

/** The request that makes the token of an online `mode`. */
function requestFor(mode: Exclude<TokenMode, { kind: 'offline-admin' }>): HttpRequest {
  switch (mode.kind) {
    case 'operator':
      return { method: 'POST', path: '/api/v3/configure/token/admin' }
    case 'regenerate':
      return { method: 'POST', path: '/api/v3/configure/token/admin/regenerate' }
    case 'named-admin':
      return {
        method: 'POST',
        path: '/api/v3/configure/token/named_admin',
        json: { token_name: mode.name, expiry_secs: mode.expiry },
      }
    case 'resource':
      return {
        method: 'POST',
        path: '/api/v3/enterprise/configure/token',
        json: { token_name: mode.name, permissions: mode.permissions, expiry_secs: mode.expiry },
      }
  }
}

/**
 * Named admin and resource tokens are made with a token or a stored session, like any other
 * request. Regeneration may go without either, to the recovery listener.
 */
async function connectWithCredential(
  options: CreateTokenOptions,
  mode: TokenMode,
  io: CliIo,
): Promise<HttpClient> {
  if (mode.kind === 'regenerate' || tokenFrom(options, io) !== undefined) {
    return connect(options, io)
  }

  const session = await credentialsStoreFor(io).load(hostFrom(options, io))
  if (session === undefined) {
    throw new UsageError(
      'creating this token needs a credential: pass --token, set INFLUXDB3_AUTH_TOKEN, ' +
        'or sign in with auth login',
    )
  }
  return connect(options, io)
}

function confirmRegeneration(options: CreateTokenOptions, io: CliIo): Promise<boolean> {
  const confirmation = {
    question: 'Are you sure you want to regenerate admin token?',
    refusal: 'refusing to regenerate the operator token without confirmation: pass --yes (-y)',
  }
  return confirm(confirmation, options, io)
}

/** Generates the token here and writes it only to the file, never to the terminal. */
async function createOfflineToken(
  mode: Extract<TokenMode, { kind: 'offline-admin' }>,
  format: TokenFormat,
  io: CliIo,
): Promise<void> {
  const expiry = mode.expiry === undefined ? undefined : Date.now() + mode.expiry * 1000
  await writeAdminTokenFile(mode.outputFile, {
    token: generateApiToken(),
    name: mode.name,
    expiry_millis: expiry,
  })

  if (format === 'json') {
    const expiresAt = expiry === undefined ? null : new Date(expiry).toISOString()
    const saved = { name: mode.name, expiry: expiresAt, output_file: mode.outputFile }
    printLine(io, JSON.stringify(saved, null, 2))
  } else {
    printLine(io, `Token saved to: ${mode.outputFile}`)
  }
}
