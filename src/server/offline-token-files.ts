import { readFileSync, statSync } from 'node:fs'

import type { Logger } from 'pino'
import { z } from 'zod'

import type { Permission, TokenRegistry } from '../auth/index.js'
import {
  adminPermission,
  apiTokenPrefix,
  operatorTokenName,
  parsePermissionText,
  resolvePermission,
} from '../auth/index.js'
import type { DatabaseService } from '../data/index.js'
import { FluxgateError } from '../errors/index.js'

const adminTokenFile = z.object({
  token: z.string(),
  name: z.string().min(1).optional(),
  expiry_millis: z.number().int().optional(),
})

const permissionTokensFile = z.object({
  create_databases: z.array(z.string()).optional(),
  tokens: z.array(
    z.object({
      token: z.string(),
      name: z.string().min(1),
      expiry_millis: z.number().int().optional(),
      permissions: z.array(z.string()).min(1),
    }),
  ),
})

/**
 * Registers the admin token of `--admin-token-file` (made offline with
 * `influxdb3 create token --admin --offline`). Skipped when its name is taken. Throws ERR_CONFIG
 * for a token without the `apiv3_` prefix or an unreadable file.
 */
export function loadAdminTokenFile(path: string, tokens: TokenRegistry, log: Logger): void {
  const file = readTokenFile(path, adminTokenFile, log)
  assertPrefix(file.token)

  const name = file.name ?? operatorTokenName
  const added = tokens.registerSecret(
    {
      name,
      permissions: [adminPermission],
      expiresAt: expiry(file.expiry_millis),
      createdBy: undefined,
    },
    file.token,
  )
  log.info({ file: path, name, added }, 'admin token file loaded')
}

/**
 * Applies `--permission-tokens-file` when no resource token exists yet: creates the listed
 * databases, then registers each token with its permissions.
 */
export function loadPermissionTokensFile(
  path: string,
  tokens: TokenRegistry,
  databases: DatabaseService,
  log: Logger,
): void {
  const hasResourceTokens = tokens
    .list()
    .some((t) => !t.permissions.some((p) => p.resourceType === 'admin'))
  if (hasResourceTokens) {
    log.info({ file: path }, 'permission tokens file skipped: resource tokens exist')
    return
  }

  const file = readTokenFile(path, permissionTokensFile, log)
  for (const name of file.create_databases ?? []) {
    if (databases.catalog.findDatabase(name) === undefined) databases.createDatabase(name)
  }
  for (const entry of file.tokens) {
    assertPrefix(entry.token)
    const permissions = entry.permissions.map((text) => toPermission(text, databases))
    const request = {
      name: entry.name,
      permissions,
      expiresAt: expiry(entry.expiry_millis),
      createdBy: undefined,
    }
    tokens.registerSecret(request, entry.token)
  }
  log.info({ file: path, tokens: file.tokens.length }, 'permission tokens file loaded')
}

function readTokenFile<T>(path: string, schema: z.ZodType<T>, log: Logger): T {
  warnIfReadableByOthers(path, log)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown
  } catch (error) {
    // The parser's message quotes the file's first characters, which may be a secret.
    const reason = error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message
    throw new FluxgateError('ERR_CONFIG', `cannot read token file ${path}: ${reason}`)
  }

  const result = schema.safeParse(parsed)
  if (!result.success)
    throw new FluxgateError(
      'ERR_CONFIG',
      `token file ${path} is not valid: ${result.error.issues[0]?.message ?? ''}`,
    )
  return result.data
}

/** A token file others can read leaks an admin credential: start anyway, but say so. */
function warnIfReadableByOthers(path: string, log: Logger): void {
  try {
    const mode = statSync(path).mode & 0o777
    if ((mode & 0o077) !== 0) {
      log.warn(
        { file: path, mode: mode.toString(8) },
        'token file is readable by other users; chmod 600 it',
      )
    }
  } catch {
    // An unreadable file is reported when it is read.
  }
}

function assertPrefix(token: string): void {
  if (!token.startsWith(apiTokenPrefix)) {
    throw new FluxgateError('ERR_CONFIG', "Invalid token format: must start with 'apiv3_'")
  }
}

function toPermission(text: string, databases: DatabaseService): Permission {
  try {
    return resolvePermission(
      parsePermissionText(text),
      (name) => databases.catalog.findDatabase(name)?.id,
    )
  } catch (error) {
    throw new FluxgateError(
      'ERR_CONFIG',
      `permission "${text}": ${(error as FluxgateError).detail ?? ''}`,
    )
  }
}

function expiry(millis: number | undefined): Date | undefined {
  return millis === undefined ? undefined : new Date(millis)
}
