import { randomUUID } from 'node:crypto'

import { SignJWT, jwtVerify } from 'jose'

import type { Clock } from '../shared/index.js'
import { sha256 } from './internal/secrets.js'
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

const clockToleranceSeconds = 60
const maxCachedTokens = 10_000

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
  readonly #cache = new Map<string, AccessClaims>()

  constructor(settings: AccessTokenSettings) {
    this.#settings = settings
  }

  async verify(
    token: string,
  ): Promise<{ ok: true; claims: AccessClaims } | { ok: false; reason: AccessRefusal }> {
    const key = sha256(token, 'base64url')
    const cached = this.#cache.get(key)
    if (cached !== undefined) return this.#stillValid(key, cached)

    const verified = await this.#verifySignature(token)
    if (verified.ok) this.#remember(key, verified.claims)
    return verified
  }

  async #verifySignature(token: string) {
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
      return claims === undefined ? refusal('bad_claims') : { ok: true as const, claims }
    } catch (error) {
      return refusal(reasonOf(error))
    }
  }

  #stillValid(key: string, claims: AccessClaims) {
    const now = this.#settings.clock.now().getTime()
    if (claims.expiresAt.getTime() + clockToleranceSeconds * 1000 > now)
      return { ok: true as const, claims }

    this.#cache.delete(key)
    return refusal('expired')
  }

  #remember(key: string, claims: AccessClaims): void {
    if (this.#cache.size >= maxCachedTokens) {
      const oldest = this.#cache.keys().next().value
      if (oldest !== undefined) this.#cache.delete(oldest)
    }
    this.#cache.set(key, claims)
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

function reasonOf(error: unknown): AccessRefusal {
  const code = (error as { code?: string }).code
  if (code === 'ERR_JWT_EXPIRED') return 'expired'
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || code === 'ERR_JOSE_ALG_NOT_ALLOWED') {
    return 'bad_signature'
  }
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return 'bad_claims'
  return 'malformed'
}

function refusal(reason: AccessRefusal) {
  return { ok: false as const, reason }
}
