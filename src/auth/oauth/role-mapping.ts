import type { JWTPayload } from 'jose'

import { builtInRoles } from '../roles.js'
import type { OauthSettings } from './oauth-settings.js'

/**
 * The role ids the token's groups give under `--oauth-role-map`, sorted; undefined when no
 * `--oauth-roles-claim` is set or the token lacks the claim, so that the user's stored roles
 * stand. A claim naming no mapped group gives no role: the provider decides, and someone it
 * took out of every mapped group loses the roles those groups gave.
 */
export function mappedRoleIds(settings: OauthSettings, payload: JWTPayload): number[] | undefined {
  if (settings.rolesClaim === undefined) return undefined

  const groups = groupsOf(payload[settings.rolesClaim])
  if (groups === undefined) return undefined

  const names = settings.roleMap
    .filter((mapping) => groups.includes(mapping.group))
    .map((mapping) => mapping.role)
  const ids = builtInRoles.filter((role) => names.includes(role.name)).map((role) => role.id)
  return ids.sort((a, b) => a - b)
}

/** Whether two role-id lists hold the same roles. */
export function sameRoles(a: readonly number[], b: readonly number[]): boolean {
  const left = [...new Set(a)].sort((x, y) => x - y)
  const right = [...new Set(b)].sort((x, y) => x - y)
  return left.length === right.length && left.every((id, index) => id === right[index])
}

// Providers send groups as an array of strings, or as one string.
function groupsOf(claim: unknown): string[] | undefined {
  if (typeof claim === 'string') return [claim]
  if (!Array.isArray(claim)) return undefined

  return claim.filter((group): group is string => typeof group === 'string')
}
