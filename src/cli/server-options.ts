import type { Command } from 'commander'

import { UsageError } from './cli-errors.js'
import type { CliIo } from './cli-io.js'
import { HttpClient, normalizeHost } from './http-client.js'
import { storedAccessToken } from './stored-session.js'

/** Where the server listens when neither `--host` nor `INFLUXDB3_HOST_URL` says otherwise. */
export const defaultHost = 'http://127.0.0.1:8181'

/** The options every command that talks to a server accepts. */
export interface ServerOptions {
  readonly host?: string
  readonly token?: string
}

/** The `-d, --database` option of database-scoped commands. */
export interface DatabaseOption {
  readonly database?: string
}

// Environment fallbacks are resolved from `CliIo.env` rather than commander's `.env()`, which
// reads `process.env` directly and so could not be set per `run()`.

/** Adds `-H, --host` and `--token` to `command`. */
export function withServerOptions(command: Command): Command {
  return command
    .option('-H, --host <URL>', `server URL (env: INFLUXDB3_HOST_URL, default: ${defaultHost})`)
    .option('--token <TOKEN>', 'token sent as a bearer token (env: INFLUXDB3_AUTH_TOKEN)')
}

/** Adds only `-H, --host` to `command`: for commands that choose their own credential. */
export function withHostOption(command: Command): Command {
  return command.option(
    '-H, --host <URL>',
    `server URL (env: INFLUXDB3_HOST_URL, default: ${defaultHost})`,
  )
}

/** Adds `-d, --database` to `command`. */
export function withDatabaseOption(command: Command): Command {
  return command.option('-d, --database <NAME>', 'database name (env: INFLUXDB3_DATABASE_NAME)')
}

/**
 * A client for the server named by the flags, then the environment, then the default. It sends
 * the token of `--token` or `INFLUXDB3_AUTH_TOKEN`, else the access token of the session that
 * `auth login` stored for that server, refreshed when it is about to expire.
 */
export function connect(options: ServerOptions, io: CliIo): HttpClient {
  const host = hostFrom(options, io)
  return new HttpClient({
    host,
    token: tokenFrom(options, io),
    tokenSource: () => storedAccessToken(host, io),
    signal: io.signal,
  })
}

/**
 * A client for the server named by the flags, the environment or the default, that sends no
 * credential even when one is configured: for the endpoints that take none.
 */
export function connectWithoutToken(options: ServerOptions, io: CliIo): HttpClient {
  return new HttpClient({
    host: hostFrom(options, io),
    signal: io.signal,
  })
}

/** The token given by `--token` or `INFLUXDB3_AUTH_TOKEN`, if any. */
export function tokenFrom(options: ServerOptions, io: CliIo): string | undefined {
  return firstGiven(options.token, io.env.INFLUXDB3_AUTH_TOKEN)
}

/** The database named by `-d` or `INFLUXDB3_DATABASE_NAME`, if any. */
export function databaseFrom(options: DatabaseOption, io: CliIo): string | undefined {
  return firstGiven(options.database, io.env.INFLUXDB3_DATABASE_NAME)
}

/**
 * The database named by `-d` or `INFLUXDB3_DATABASE_NAME`.
 * @throws UsageError when neither names one.
 */
export function requireDatabase(options: DatabaseOption, io: CliIo): string {
  const database = databaseFrom(options, io)
  if (database === undefined) {
    throw new UsageError('no database given: pass -d/--database or set INFLUXDB3_DATABASE_NAME')
  }
  return database
}

/**
 * The normalized URL of the server named by `--host`, `INFLUXDB3_HOST_URL` or the default.
 * @throws UsageError when it is not an http:// or https:// URL.
 */
export function hostFrom(options: Pick<ServerOptions, 'host'>, io: CliIo): string {
  return normalizeHost(firstGiven(options.host, io.env.INFLUXDB3_HOST_URL) ?? defaultHost)
}

function firstGiven(...values: (string | undefined)[]): string | undefined {
  return values.find((value) => value !== undefined && value !== '')
}
