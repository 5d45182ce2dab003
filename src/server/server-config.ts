import { homedir } from 'node:os'
import { join } from 'node:path'

import type { CatalogLimits } from '../catalog/index.js'
import { defaultCatalogLimits } from '../catalog/index.js'
import { parseDisableAuthz } from '../auth/index.js'
import { FluxgateError } from '../errors/index.js'
import { resolveUserAuthConfig } from './user-auth-config.js'
import type { UserAuthConfig, UserAuthConfigInput } from './user-auth-config.js'

/** The validated configuration of a server. */
export interface ServerConfig {
  host: string
  port: number
  dataDir: string
  objectStore: 'file' | 'memory'
  nodeId: string
  maxHttpRequestSize: number
  logLevel: LogLevel
  withoutAuth: boolean
  /** Paths exempted from authentication by `--disable-authz`. */
  exemptPaths: Set<string>
  adminTokenFile: string | undefined
  permissionTokensFile: string | undefined
  /** The loopback address of the admin-token recovery listener; undefined when off. */
  recoveryBind: { host: string; port: number } | undefined
  limits: CatalogLimits
  userAuth: UserAuthConfig
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent'

/** Configuration as given: every value optional and still text where flags give text. */
export interface ServerConfigInput extends UserAuthConfigInput {
  httpBind?: string
  dataDir?: string
  objectStore?: string
  nodeId?: string
  maxHttpRequestSize?: string | number
  logFilter?: string
  withoutAuth?: boolean
  disableAuthz?: string
  adminTokenFile?: string
  permissionTokensFile?: string
  /** `true` (the bare flag) means 127.0.0.1:8182. */
  adminTokenRecoveryHttpBind?: string | boolean
  maxDatabases?: number
  maxTables?: number
  maxColumnsPerTable?: number
}

const logLevels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']

/**
 * Validates a configuration once, at start. Throws ERR_CONFIG with one line naming the flag
 * and what is wrong with it.
 */
export function resolveServerConfig(input: ServerConfigInput): ServerConfig {
  const { host, port } = parseBind(input.httpBind ?? '0.0.0.0:8181')
  const objectStore = parseObjectStore(input.objectStore ?? 'file')
  const dataDir = input.dataDir ?? join(homedir(), '.influxdb3', 'data')

  return {
    host,
    port,
    dataDir,
    objectStore,
    nodeId: parseNodeId(input.nodeId),
    maxHttpRequestSize: parseSize(input.maxHttpRequestSize ?? 10_485_760),
    logLevel: parseLogFilter(input.logFilter ?? 'info'),
    withoutAuth: input.withoutAuth ?? false,
    exemptPaths: parseDisableAuthz(input.disableAuthz),
    adminTokenFile: input.adminTokenFile,
    permissionTokensFile: input.permissionTokensFile,
    recoveryBind: parseRecoveryBind(input.adminTokenRecoveryHttpBind),
    limits: {
      maxDatabases: positive(
        '--num-database-limit',
        input.maxDatabases,
        defaultCatalogLimits.maxDatabases,
      ),
      maxTables: positive('--num-table-limit', input.maxTables, defaultCatalogLimits.maxTables),
      maxColumnsPerTable: positive(
        '--num-total-columns-per-table-limit',
        input.maxColumnsPerTable,
        defaultCatalogLimits.maxColumnsPerTable,
      ),
    },
    userAuth: resolveUserAuthConfig(input, dataDir),
  }
}

function parseBind(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim())
  const port = Number(match?.[3])
  if (match === null || port > 65_535) {
    throw configError(`--http-bind: expected HOST:PORT, got "${text}"`)
  }
  return { host: match[1] ?? match[2] ?? '0.0.0.0', port }
}

/** The recovery listener never leaves the machine: only loopback addresses are accepted. */
function parseRecoveryBind(value: string | boolean | undefined) {
  if (value === undefined || value === false) return undefined
  if (value === true || value === '') return { host: '127.0.0.1', port: 8182 }

  const bind = parseBind(value)
  if (!['127.0.0.1', 'localhost', '::1'].includes(bind.host) && !bind.host.startsWith('127.')) {
    throw configError(
      `--admin-token-recovery-http-bind: "${value}" is not a loopback address; recovery is only served on 127.0.0.1 or ::1`,
    )
  }
  return bind
}

function parseObjectStore(text: string): 'file' | 'memory' {
  if (text === 'file' || text === 'memory') return text
  throw configError(`--object-store: "${text}" is not supported here; use file or memory`)
}

function parseNodeId(text: string | undefined): string {
  if (text === undefined || text.trim() === '') {
    throw configError('--node-id is required (or set INFLUXDB3_NODE_IDENTIFIER_PREFIX)')
  }
  return text.trim()
}

const sizeUnits: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
}

/** Parses `10mb`, `512KiB` or a bare number of bytes. */
export function parseSize(value: string | number): number {
  if (typeof value === 'number') return positive('--max-http-request-size', value, 0)

  const match = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(value)
  const unit = sizeUnits[match?.[2]?.toLowerCase() ?? 'x']
  if (match === null || unit === undefined || Number(match[1]) === 0) {
    throw configError(`--max-http-request-size: expected a size such as 10mb, got "${value}"`)
  }
  return Number(match[1]) * unit
}

/** Takes the level out of a filter such as `info` or `fluxgate=debug,info`. */
function parseLogFilter(text: string): LogLevel {
  const directives = text.split(',').map((part) => part.trim().toLowerCase())
  const bare = directives.filter((part) => !part.includes('='))
  const level = bare.at(-1) ?? directives.at(-1)?.split('=')[1] ?? 'info'
  if ((logLevels as string[]).includes(level)) return level as LogLevel
  if (level === 'off') return 'silent'

  throw configError(`--log-filter: unknown level "${level}"; use one of ${logLevels.join(', ')}`)
}

function positive(flag: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw configError(`${flag}: expected a positive whole number, got ${value}`)
  }
  return value
}

function configError(message: string): FluxgateError {
  return new FluxgateError('ERR_CONFIG', message)
}
