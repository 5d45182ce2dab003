import { randomUUID } from 'node:crypto'

import { SignJWT, jwtVerify } from 'jose'

import type { Clock } from '../shared/index.js'
import { clockToleranceSeconds, jwtRefusalOf } from './internal/jwt-refusal.js'
import { VerifiedTokenCache, refusal } from './internal/verified-token-cache.js'
import type { Verified } from './internal/verified-token-cache.js'
import type { SigningKey } from './signing-key.js'

/** The `client_id` of password logins: Fluxgate's own first-party client. */
export const firstPartyClientId = 'influxdb3-cli'

/** What an access token says about its bearer. */
export interface AccessClaims {
  /** The user id, never the username: ids are never reused. */
  userId: number
  sessionId: string
  tokenId: string
  issuedAt: Date
  expiresAt: Date
}

/** The settings shared by the issuer and the verifier. */
export interface AccessTokenSettings {
  key: SigningKey
  /** `--jwt-issuer`, `influxdb3-enterprise` by default. */
  issuer: string
  /** The cluster id, also sent as the `cluster-uuid` header. */
  audience: string
  ttlSeconds: number
  clock: Clock
}

/** Why an access token was refused; logged, never shown to the client. */
export type AccessRefusal = 'malformed' | 'bad_signature' | 'expired' | 'bad_claims'

/** Signs RS256 access tokens (`typ: at+jwt`) for a session. */
export async function issueAccessToken(
  settings: AccessTokenSettings,
  subject: { userId: number; sessionId: string },
): Promise<{ token: string; claims: AccessClaims }> {
  const issuedAt = settings.clock.now()
  const expiresAt = new Date(issuedAt.getTime() + settings.ttlSeconds * 1000)
  const tokenId = randomUUID()

  const token = await new SignJWT({ sid: subject.sessionId, client_id: firstPartyClientId })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: settings.key.kid })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(String(subject.userId))
    .setJti(tokenId)
    .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(settings.key.privateKey)

  return { token, claims: { ...subject, tokenId, issuedAt, expiresAt } }
}

/**
 * Verifies access tokens: RS256 only with the configured key, `typ`, `iss`, `aud`, `exp` and
 * `nbf` with at most 60 s of skew. Verified tokens are cached under their SHA-256 until they
 * expire, so a request pays a hash and a lookup rather than an RSA verification; whether the
 * session is still live is the caller's check, on every request.
 */
export class AccessTokenVerifier {
  readonly #settings: AccessTokenSettings
  readonly #cache: VerifiedTokenCache<AccessClaims>

  constructor(settings: AccessTokenSettings) {
    this.#settings = settings
    this.#cache = new VerifiedTokenCache(settings.clock)
  }

  verify(token: string): Promise<Verified<AccessClaims, AccessRefusal>> {
    return this.#cache.verify(token, (fresh) => this.#verifySignature(fresh))
  }

  async #verifySignature(token: string): Promise<Verified<AccessClaims, AccessRefusal>> {
    try {
      const { payload } = await jwtVerify(token, this.#settings.key.publicKey, {
        algorithms: ['RS256'],
        typ: 'at+jwt',
        issuer: this.#settings.issuer,
        audience: this.#settings.audience,
        requiredClaims: ['exp', 'iat', 'sub', 'jti', 'sid'],
        clockTolerance: clockToleranceSeconds,
        currentDate: this.#settings.clock.now(),
      })
      const claims = toClaims(payload)
      return claims === undefined ? refusal('bad_claims') : { ok: true, claims }
    } catch (error) {
      return refusal(reasonOf(error))
    }
  }
}

function toClaims(payload: Record<string, unknown>): AccessClaims | undefined {
  const userId = Number(payload.sub)
  const { sid, jti, iat, exp } = payload
  if (!Number.isSafeInteger(userId) || typeof sid !== 'string' || typeof jti !== 'string')
    return undefined
  if (typeof iat !== 'number' || typeof exp !== 'number') return undefined

  return {
    userId,
    sessionId: sid,
    tokenId: jti,
    issuedAt: new Date(iat * 1000),
    expiresAt: new Date(exp * 1000),
  }
}

// The key is fixed, so jose never reports an unknown `kid` here; the shared mapping allows one.
function reasonOf(error: unknown): AccessRefusal {
  const reason = jwtRefusalOf(error)
  return reason === 'unknown_kid' ? 'malformed' : reason
}
