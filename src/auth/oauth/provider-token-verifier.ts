import { jwtVerify } from 'jose'
import type { JWTPayload } from 'jose'

import type { Clock } from '../../shared/index.js'
import { sha256 } from '../internal/secrets.js'
import type { ProviderClient } from './provider-client.js'

/** What a verified provider token says about its bearer. */
export interface ProviderClaims {
  /** The provider's `sub`: the user's `oauthId`. */
  subject: string
  /** `sid`, else `jti`, else a digest of the token: what the principal's session id names. */
  tokenId: string
  expiresAt: Date
  /** Every claim, for role mapping. */
  payload: JWTPayload
}

/** Why a provider token was refused; logged, never shown to the client. */
export type ProviderRefusal =
  'malformed' | 'bad_signature' | 'unknown_kid' | 'expired' | 'bad_claims'

/** Asymmetric algorithms only: `none` and HS* never verify a provider token (JWT-1, JWT-2). */
export const providerAlgorithms = ['RS256', 'ES256', 'PS256']

const clockToleranceSeconds = 60
const maxCachedTokens = 10_000

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
  readonly #cache = new Map<string, ProviderClaims>()

  constructor(client: ProviderClient, clock: Clock) {
    this.#client = client
    this.#clock = clock
  }

  async verify(
    token: string,
  ): Promise<{ ok: true; claims: ProviderClaims } | { ok: false; reason: ProviderRefusal }> {
    const digest = sha256(token, 'base64url')
    const cached = this.#cache.get(digest)
    if (cached !== undefined) return this.#stillValid(digest, cached)

    const verified = await this.#verifySignature(token, digest)
    if (verified.ok) this.#remember(digest, verified.claims)
    return verified
  }

  async #verifySignature(token: string, digest: string) {
    const { keys } = this.#client.discovered()
    const { issuer, audience } = this.#client.settings
    try {
      const { payload } = await jwtVerify(token, keys.keyFor, {
        algorithms: providerAlgorithms,
        issuer,
        audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: clockToleranceSeconds,
        currentDate: this.#clock.now(),
      })
      const claims = toClaims(payload, digest)
      return claims === undefined ? refusal('bad_claims') : { ok: true as const, claims }
    } catch (error) {
      return refusal(reasonOf(error))
    }
  }

  #stillValid(digest: string, claims: ProviderClaims) {
    const now = this.#clock.now().getTime()
    if (claims.expiresAt.getTime() + clockToleranceSeconds * 1000 > now) {
      return { ok: true as const, claims }
    }

    this.#cache.delete(digest)
    return refusal('expired')
  }

  #remember(digest: string, claims: ProviderClaims): void {
    if (this.#cache.size >= maxCachedTokens) {
      const oldest = this.#cache.keys().next().value
      if (oldest !== undefined) this.#cache.delete(oldest)
    }
    this.#cache.set(digest, claims)
  }
}

function toClaims(payload: JWTPayload, digest: string): ProviderClaims | undefined {
  const { sub, exp, sid, jti } = payload
  if (typeof sub !== 'string' || sub === '' || typeof exp !== 'number') return undefined

  const tokenId = typeof sid === 'string' ? sid : typeof jti === 'string' ? jti : digest
  return { subject: sub, tokenId, expiresAt: new Date(exp * 1000), payload }
}

function reasonOf(error: unknown): ProviderRefusal {
  const code = (error as { code?: string }).code
  if (code === 'ERR_JWT_EXPIRED') return 'expired'
  if (code === 'ERR_JWKS_NO_MATCHING_KEY') return 'unknown_kid'
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || code === 'ERR_JOSE_ALG_NOT_ALLOWED') {
    return 'bad_signature'
  }
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return 'bad_claims'
  return 'malformed'
}

function refusal(reason: ProviderRefusal) {
  return { ok: false as const, reason }
}
