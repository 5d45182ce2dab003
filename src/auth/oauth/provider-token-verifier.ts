import type { JWTPayload } from 'jose'

import type { Clock } from '../../shared/index.js'
import { jwtRefusalOf } from '../internal/jwt-refusal.js'
import type { JwtRefusal } from '../internal/jwt-refusal.js'
import { VerifiedTokenCache, refusal } from '../internal/verified-token-cache.js'
import type { Verified } from '../internal/verified-token-cache.js'
import type { ProviderClient } from './provider-client.js'
import { verifyProviderJwt } from './provider-jwt.js'
import { mappedRoleIds } from './role-mapping.js'

/** What a verified provider token says about its bearer. */
export interface ProviderClaims {
  /** The provider's `sub`: the user's `oauthId`. */
  subject: string
  /**
   * `jti`, else a digest of the token: one token, whose session logout ends. Not the provider's
   * `sid`, which a new sign-in at the provider may share with a token logged out before.
   */
  tokenId: string
  expiresAt: Date
  /**
   * The roles the token's groups map to, worked out once at verification since a cached token's
   * claims do not change; undefined leaves the user's roles as they are.
   */
  roleIds: readonly number[] | undefined
}

/** Why a provider token was refused; logged, never shown to the client. */
export type ProviderRefusal = JwtRefusal

/**
 * Verifies access tokens the provider signed: an allowed algorithm, a key from the provider's
 * key set, `iss` exactly the configured issuer, `aud` containing the configured audience, `exp`
 * present and `exp`/`nbf` within 60 s of skew. Verified tokens are cached under their SHA-256
 * until they expire; who the subject is now is the caller's check, on every request. Throws
 * ERR_OAUTH_UNAVAILABLE (503) while the provider was never discovered.
 */
export class ProviderTokenVerifier {
  readonly #client: ProviderClient
  readonly #clock: Clock
  readonly #cache: VerifiedTokenCache<ProviderClaims>

  constructor(client: ProviderClient, clock: Clock) {
    this.#client = client
    this.#clock = clock
    this.#cache = new VerifiedTokenCache(clock)
  }

  verify(token: string): Promise<Verified<ProviderClaims, ProviderRefusal>> {
    return this.#cache.verify(token, (fresh, digest) => this.#verifySignature(fresh, digest))
  }

  async #verifySignature(
    token: string,
    digest: string,
  ): Promise<Verified<ProviderClaims, ProviderRefusal>> {
    const { keys } = this.#client.discovered()
    const { issuer, audience } = this.#client.settings
    try {
      const payload = await verifyProviderJwt(token, {
        keys,
        issuer,
        audience,
        requiredClaims: ['exp', 'sub'],
        clock: this.#clock,
      })
      const claims = toClaims(payload, digest, mappedRoleIds(this.#client.settings, payload))
      return claims === undefined ? refusal('bad_claims') : { ok: true, claims }
    } catch (error) {
      return refusal(jwtRefusalOf(error))
    }
  }
}

function toClaims(
  payload: JWTPayload,
  digest: string,
  roleIds: readonly number[] | undefined,
): ProviderClaims | undefined {
  const { sub, exp, jti } = payload
  if (typeof sub !== 'string' || sub === '' || typeof exp !== 'number') return undefined

  const tokenId = typeof jti === 'string' && jti !== '' ? jti : digest
  return { subject: sub, tokenId, expiresAt: new Date(exp * 1000), roleIds }
}
