import type { SystemTable } from '../storage/index.js'
import type { ApiTokenRecord } from './api-token-record.js'
import { formatPermission, isAdmin } from './permission.js'
import type { TokenRegistry } from './token-registry.js'

const hashPrefixLength = 9

/**
 * `system.tokens` of the `_internal` database: one row per token with the first nine hex
 * characters of its digest (never the token), and its permissions in the short form
 * (`*:*:*` for admin tokens, a JSON array such as `["db:a:read"]` otherwise).
 */
export function tokensSystemTable(
  registry: TokenRegistry,
  databaseName: (id: number) => string | undefined,
  options: { withHash: boolean },
): SystemTable {
  const columns: SystemTable['columns'] = [
    { name: 'token_id', type: 'UBIGINT' },
    { name: 'name', type: 'VARCHAR' },
    ...(options.withHash ? [{ name: 'hash', type: 'VARCHAR' as const }] : []),
    { name: 'created_at', type: 'TIMESTAMP_MS' },
    { name: 'description', type: 'VARCHAR' },
    { name: 'created_by_token_id', type: 'UBIGINT' },
    { name: 'updated_at', type: 'TIMESTAMP_MS' },
    { name: 'updated_by_token_id', type: 'UBIGINT' },
    { name: 'expiry', type: 'TIMESTAMP_MS' },
    { name: 'permissions', type: 'VARCHAR' },
    { name: 'created_by_user_id', type: 'UBIGINT' },
  ]

  const rows = registry
    .list()
    .map((token) => [
      token.id,
      token.name,
      ...(options.withHash ? [token.digest.slice(0, hashPrefixLength)] : []),
      token.createdAt,
      null,
      token.createdByTokenId ?? null,
      token.updatedAt ?? null,
      token.updatedByTokenId ?? null,
      token.expiresAt ?? null,
      permissionsText(token, databaseName),
      token.createdByUserId ?? null,
    ])
  return { name: 'tokens', columns, rows }
}

function permissionsText(token: ApiTokenRecord, databaseName: (id: number) => string | undefined) {
  if (isAdmin(token.permissions)) return '*:*:*'
  return JSON.stringify(token.permissions.map((p) => formatPermission(p, databaseName)))
}
