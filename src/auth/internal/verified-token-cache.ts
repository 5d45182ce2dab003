import type { Clock } from '../../shared/index.js'
import { clockToleranceSeconds } from './jwt-refusal.js'
import { sha256 } from './secrets.js'

/** A token's claims once its signature and claims were checked, or why it was refused. */
export type Verified<C, R> = { ok: true; claims: C } | { ok: false; reason: R }

/** Bounds the memory a flood of distinct valid tokens can take; the oldest go first. */
const maxCachedTokens = 10_000

/**
 * Verified tokens under their SHA-256 until they expire (with the signature check's skew), so
 * that a request pays a hash and a lookup rather than a signature verification. The token
 * itself is never held. Whether its subject may still act is the caller's check, every time.
 */
export class VerifiedTokenCache<C extends { expiresAt: Date }> {
  readonly #clock: Clock
  readonly #entries = new Map<string, C>()

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /**
   * The cached claims of `token`, else what `verify` makes of it (given the token's digest as
   * well), remembered when the token passed.
   */
  async verify<R>(
    token: string,
    verify: (token: string, digest: string) => Promise<Verified<C, R>>,
  ): Promise<Verified<C, R | 'expired'>> {
    const digest = sha256(token, 'base64url')
    const cached = this.#entries.get(digest)
    if (cached !== undefined) return this.#stillValid(digest, cached)

    const verified = await verify(token, digest)
    if (verified.ok) this.#remember(digest, verified.claims)
    return verified
  }

  #stillValid(digest: string, claims: C): Verified<C, 'expired'> {
    const now = this.#clock.now().getTime()
    if (claims.expiresAt.getTime() + clockToleranceSeconds * 1000 > now) {
      return { ok: true, claims }
    }

    this.#entries.delete(digest)
    return refusal('expired')
  }

  #remember(digest: string, claims: C): void {
    if (this.#entries.size >= maxCachedTokens) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    this.#entries.set(digest, claims)
  }
}

/** A refused verification. */
export function refusal<R>(reason: R): { ok: false; reason: R } {
  return { ok: false, reason }
}
