import { UsageError } from './cli-errors.js'
import type { PermissionBody } from './token-permission.js'

/** The flags of `create token` that choose what it makes. */
export interface TokenModeFlags {
  readonly admin?: boolean
  readonly permission?: readonly PermissionBody[]
  readonly name?: string
  /** Seconds, from `--expiry`. */
  readonly expiry?: number
  readonly regenerate?: boolean
  readonly offline?: boolean
  readonly outputFile?: string
}

/** What `create token` makes, decided from its flags before anything is sent. */
export type TokenMode =
  | { readonly kind: 'operator' }
  | { readonly kind: 'regenerate' }
  | { readonly kind: 'named-admin'; readonly name: string; readonly expiry?: number }
  | {
      readonly kind: 'offline-admin'
      readonly name: string
      readonly expiry?: number
      readonly outputFile: string
    }
  | {
      readonly kind: 'resource'
      readonly name: string
      readonly permissions: readonly PermissionBody[]
      readonly expiry?: number
    }

/** The name of the operator token, which an offline admin token file gets by default. */
export const operatorTokenName = '_admin'

/**
 * Decides what `create token` makes: without `--name` the operator token, with it a named admin
 * token, with `--permission` a resource token.
 * @throws UsageError for a missing mode or flags that do not go together.
 */
export function resolveTokenMode(flags: TokenModeFlags): TokenMode {
  if (flags.admin !== true && flags.permission === undefined) {
    throw new UsageError(
      'Missing required subcommand. Use: influxdb3 create token --admin [OPTIONS]',
    )
  }
  if (flags.admin === true && flags.permission !== undefined) {
    throw new UsageError('--admin and --permission cannot be used together')
  }
  if (flags.name === '') throw new UsageError('--name cannot be empty')
  if (flags.outputFile !== undefined && flags.offline !== true) {
    throw new UsageError('--output-file only applies with --offline')
  }

  return flags.admin === true ? adminMode(flags) : resourceMode(flags, flags.permission ?? [])
}

function adminMode(flags: TokenModeFlags): TokenMode {
  if (flags.regenerate === true) return regenerateMode(flags)
  if (flags.offline === true) return offlineMode(flags)
  if (flags.name === undefined) {
    if (flags.expiry !== undefined) {
      throw new UsageError('--expiry needs --name: the operator token never expires')
    }
    return { kind: 'operator' }
  }
  return { kind: 'named-admin', name: flags.name, expiry: flags.expiry }
}

function regenerateMode(flags: TokenModeFlags): TokenMode {
  if (flags.name !== undefined) {
    throw new UsageError(
      '--regenerate cannot be used with --name, --regenerate only applies for operator token',
    )
  }
  if (flags.offline === true) throw new UsageError('--regenerate cannot be used with --offline')
  if (flags.expiry !== undefined) {
    throw new UsageError(
      '--regenerate cannot be used with --expiry: the operator token never expires',
    )
  }
  return { kind: 'regenerate' }
}

function offlineMode(flags: TokenModeFlags): TokenMode {
  if (flags.outputFile === undefined) {
    throw new UsageError('--offline requires --output-file <FILE>')
  }

  const name = flags.name ?? operatorTokenName
  if (name === operatorTokenName && flags.expiry !== undefined) {
    throw new UsageError('--expiry needs --name: the operator token never expires')
  }
  return { kind: 'offline-admin', name, expiry: flags.expiry, outputFile: flags.outputFile }
}

function resourceMode(flags: TokenModeFlags, permissions: readonly PermissionBody[]): TokenMode {
  if (flags.name === undefined) throw new UsageError('--permission requires --name <NAME>')
  if (flags.regenerate === true) throw new UsageError('--regenerate only applies with --admin')
  if (flags.offline === true) throw new UsageError('--offline only applies with --admin')

  return { kind: 'resource', name: flags.name, permissions, expiry: flags.expiry }
}
