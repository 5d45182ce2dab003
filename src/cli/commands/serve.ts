import { once } from 'node:events'

import { Command } from 'commander'

import type { ServerConfigInput } from '../../server/index.js'
import { startServer } from '../../server/index.js'
import { isFluxgateError } from '../../errors/index.js'
import { UsageError } from '../cli-errors.js'
import type { CliIo } from '../cli-io.js'

interface ServeFlags {
  httpBind?: string
  dataDir?: string
  objectStore?: string
  nodeId?: string
  maxHttpRequestSize?: string
  logFilter?: string
  withoutAuth?: boolean
  disableAuthz?: string
  adminTokenFile?: string
  permissionTokensFile?: string
  adminTokenRecoveryHttpBind?: string | boolean
  numDatabaseLimit?: string
  numTableLimit?: string
  numTotalColumnsPerTableLimit?: string
  userAuthType?: string
  withoutUserAuth?: string
  jwtPrivateKey?: string
  jwtPrivateKeyFile?: string
  jwtKeyId?: string
  jwtIssuer?: string
  jwtDefaultTtlSeconds?: string
  passwordMinLength?: string
  oauthIssuer?: string
  oauthAudience?: string
  oauthClientId?: string
  oauthClientSecret?: string
  oauthScopes?: string
  oauthAutoProvision?: string | boolean
  oauthRolesClaim?: string
  oauthRoleMap?: string
  webuiPublicUri?: string
  webuiCookieSecure?: string | boolean
}

/** Each flag's environment variables, the current name first, then legacy aliases. */
const envNames: Record<keyof ServeFlags, string[]> = {
  httpBind: ['INFLUXDB3_HTTP_BIND_ADDR'],
  dataDir: ['INFLUXDB3_DATA_DIR', 'INFLUXDB3_DB_DIR'],
  objectStore: ['INFLUXDB3_OBJECT_STORE'],
  nodeId: ['INFLUXDB3_NODE_ID', 'INFLUXDB3_NODE_IDENTIFIER_PREFIX'],
  maxHttpRequestSize: ['INFLUXDB3_MAX_HTTP_REQUEST_SIZE'],
  logFilter: ['INFLUXDB3_LOG_FILTER', 'LOG_FILTER'],
  withoutAuth: ['INFLUXDB3_WITHOUT_AUTH', 'INFLUXDB3_START_WITHOUT_AUTH'],
  disableAuthz: ['INFLUXDB3_DISABLE_AUTHZ'],
  adminTokenFile: ['INFLUXDB3_ADMIN_TOKEN_FILE'],
  permissionTokensFile: ['INFLUXDB3_PERMISSION_TOKENS_FILE'],
  adminTokenRecoveryHttpBind: [
    'INFLUXDB3_ADMIN_TOKEN_RECOVERY_HTTP_BIND',
    'INFLUXDB3_ADMIN_TOKEN_RECOVERY_HTTP_BIND_ADDR',
  ],
  numDatabaseLimit: ['INFLUXDB3_NUM_DATABASE_LIMIT'],
  numTableLimit: ['INFLUXDB3_NUM_TABLE_LIMIT'],
  numTotalColumnsPerTableLimit: ['INFLUXDB3_NUM_TOTAL_COLUMNS_PER_TABLE_LIMIT'],
  userAuthType: ['INFLUXDB3_USER_AUTH_TYPE'],
  withoutUserAuth: ['INFLUXDB3_WITHOUT_USER_AUTH'],
  jwtPrivateKey: ['INFLUXDB3_JWT_PRIVATE_KEY'],
  jwtPrivateKeyFile: ['INFLUXDB3_JWT_PRIVATE_KEY_FILE'],
  jwtKeyId: ['INFLUXDB3_JWT_KEY_ID'],
  jwtIssuer: ['INFLUXDB3_JWT_ISSUER'],
  jwtDefaultTtlSeconds: ['INFLUXDB3_JWT_DEFAULT_TTL_SECONDS'],
  passwordMinLength: ['INFLUXDB3_PASSWORD_MIN_LENGTH'],
  oauthIssuer: ['INFLUXDB3_OAUTH_ISSUER'],
  oauthAudience: ['INFLUXDB3_OAUTH_AUDIENCE'],
  oauthClientId: ['INFLUXDB3_OAUTH_CLIENT_ID'],
  oauthClientSecret: ['INFLUXDB3_OAUTH_CLIENT_SECRET'],
  oauthScopes: ['INFLUXDB3_OAUTH_SCOPES'],
  oauthAutoProvision: ['INFLUXDB3_OAUTH_AUTO_PROVISION'],
  oauthRolesClaim: ['INFLUXDB3_OAUTH_ROLES_CLAIM'],
  oauthRoleMap: ['INFLUXDB3_OAUTH_ROLE_MAP'],
  webuiPublicUri: ['INFLUXDB3_WEBUI_PUBLIC_URI'],
  webuiCookieSecure: ['INFLUXDB3_WEBUI_COOKIE_SECURE'],
}

/** `influxdb3 serve`: runs the server until SIGINT or SIGTERM, then stops cleanly (exit 0). */
export function serveCommand(io: CliIo): Command {
  return new Command('serve')
    .description('Run the Fluxgate server')
    .option('--http-bind <ADDR>', 'address to listen on (default 0.0.0.0:8181)')
    .option('--data-dir <PATH>', 'where the server keeps its data (default ~/.influxdb3/data)')
    .option('--object-store <KIND>', 'file or memory (default file)')
    .option('--node-id <ID>', "this node's identifier (required)")
    .option('--host-id <ID>', 'alias of --node-id')
    .option(
      '--max-http-request-size <SIZE>',
      'largest request body, e.g. 10mb (default 10485760 bytes)',
    )
    .option('--log-filter <FILTER>', 'log level: trace, debug, info, warn, error (default info)')
    .option('--without-auth', 'disable authentication and authorization')
    .option('--disable-authz <LIST>', 'serve these without a token: health, ping, metrics')
    .option('--admin-token-file <PATH>', 'admin token made offline, loaded at start')
    .option('--permission-tokens-file <PATH>', 'resource tokens made offline, loaded at start')
    .option(
      '--admin-token-recovery-http-bind [ADDR]',
      'loopback listener that regenerates the operator token once (default 127.0.0.1:8182)',
    )
    .option('--num-database-limit <N>', 'most databases (default 100)')
    .option('--num-table-limit <N>', 'most tables across all databases (default 4000)')
    .option('--num-total-columns-per-table-limit <N>', 'most columns per table (default 500)')
    .option('--user-auth-type <LIST>', 'user sign-in: none, basic, oauth or basic,oauth')
    .option('--without-user-auth <BOOL>', 'older switch: false turns password sign-in on')
    .option('--jwt-private-key <PEM>', 'RSA key (PKCS#1 or PKCS#8 PEM text) that signs JWTs')
    .option('--jwt-private-key-file <PATH>', 'file holding the RSA key that signs JWTs')
    .option('--jwt-key-id <ID>', 'the kid of issued JWTs (default: the key thumbprint)')
    .option('--jwt-issuer <ISS>', 'the iss of issued JWTs (default influxdb3-enterprise)')
    .option('--jwt-default-ttl-seconds <N>', 'lifetime of issued JWTs (default 3600)')
    .option('--password-min-length <N>', 'shortest password accepted (default 15, at least 8)')
    .option('--oauth-issuer <URL>', 'identity provider whose access tokens are accepted')
    .option('--oauth-audience <AUD>', 'the aud provider tokens must carry for this server')
    .option('--oauth-client-id <ID>', 'public client id for device and browser sign-in')
    .option('--oauth-client-secret <SECRET>', 'client secret, for a confidential client')
    .option('--oauth-scopes <LIST>', 'scopes to request (default openid,offline_access)')
    .option(
      '--oauth-auto-provision [BOOL]',
      'create a user for an unknown subject the provider vouches for (default false)',
    )
    .option('--oauth-roles-claim <NAME>', 'token claim that lists the groups of the subject')
    .option('--oauth-role-map <MAP>', 'roles by group, e.g. Admin=group-a,Member=group-b')
    .option('--webui-public-uri <URL>', 'browser-facing address; turns on browser sign-in')
    .option('--webui-cookie-secure [BOOL]', 'mark the browser session cookie Secure')
    .action((flags: ServeFlags & { hostId?: string }) =>
      serve({ ...flags, nodeId: flags.nodeId ?? flags.hostId }, io),
    )
}

async function serve(flags: ServeFlags, io: CliIo): Promise<void> {
  const input = toConfigInput(withEnvironment(flags, io.env))
  const server = await startServer(input).catch((error: unknown) => {
    // A configuration problem is the operator's to fix: one line, no code, no stack.
    if (isFluxgateError(error, 'ERR_CONFIG'))
      throw new Error(error.detail ?? 'invalid configuration')
    throw error
  })

  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  io.signal?.addEventListener('abort', onSignal, { once: true })

  await once(stop.signal, 'abort')
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  await server.close()
}

function withEnvironment(flags: ServeFlags, env: CliIo['env']): ServeFlags {
  const merged: ServeFlags & Record<string, string | boolean | undefined> = { ...flags }
  for (const [key, names] of Object.entries(envNames)) {
    if (merged[key] !== undefined) continue
    const name = names.find((n) => env[n] !== undefined && env[n] !== '')
    if (name !== undefined) merged[key] = env[name]
  }
  return merged
}

function toConfigInput(flags: ServeFlags): ServerConfigInput {
  return {
    httpBind: flags.httpBind,
    dataDir: flags.dataDir,
    objectStore: flags.objectStore,
    nodeId: flags.nodeId ?? '',
    maxHttpRequestSize: flags.maxHttpRequestSize,
    logFilter: flags.logFilter,
    withoutAuth: toBoolean(flags.withoutAuth),
    disableAuthz: flags.disableAuthz,
    adminTokenFile: flags.adminTokenFile,
    permissionTokensFile: flags.permissionTokensFile,
    adminTokenRecoveryHttpBind: flags.adminTokenRecoveryHttpBind,
    maxDatabases: toCount('--num-database-limit', flags.numDatabaseLimit),
    maxTables: toCount('--num-table-limit', flags.numTableLimit),
    maxColumnsPerTable: toCount(
      '--num-total-columns-per-table-limit',
      flags.numTotalColumnsPerTableLimit,
    ),
    userAuthType: flags.userAuthType,
    withoutUserAuth: toBoolean(flags.withoutUserAuth),
    jwtPrivateKey: flags.jwtPrivateKey,
    jwtPrivateKeyFile: flags.jwtPrivateKeyFile,
    jwtKeyId: flags.jwtKeyId,
    jwtIssuer: flags.jwtIssuer,
    jwtDefaultTtlSeconds: toCount('--jwt-default-ttl-seconds', flags.jwtDefaultTtlSeconds),
    passwordMinLength: toCount('--password-min-length', flags.passwordMinLength),
    oauthIssuer: flags.oauthIssuer,
    oauthAudience: flags.oauthAudience,
    oauthClientId: flags.oauthClientId,
    oauthClientSecret: flags.oauthClientSecret,
    oauthScopes: flags.oauthScopes,
    oauthAutoProvision: toBoolean(flags.oauthAutoProvision),
    oauthRolesClaim: flags.oauthRolesClaim,
    oauthRoleMap: flags.oauthRoleMap,
    webuiPublicUri: flags.webuiPublicUri,
    webuiCookieSecure: toBoolean(flags.webuiCookieSecure),
  }
}

function toBoolean(value: string | boolean | undefined): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value
  return value !== 'false' && value !== '0'
}

function toCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const count = Number(value)
  if (!Number.isSafeInteger(count) || count <= 0) {
    throw new UsageError(`${flag}: expected a positive whole number, got "${value}"`)
  }
  return count
}
