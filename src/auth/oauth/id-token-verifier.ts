import { decodeProtectedHeader } from 'jose'
import type { JWTPayload } from 'jose'

import type { Clock } from '../../shared/index.js'
import { jwtRefusalOf } from '../internal/jwt-refusal.js'
import type { ProviderKeySet } from './provider-key-set.js'
import { verifyProviderJwt } from './provider-jwt.js'

/** What an ID token must match: the provider, this client and the sign-in's nonce. */
export interface IdTokenExpectations {
  issuer: string
  clientId: string
  nonce: string
  keys: ProviderKeySet
  clock: Clock
}

/** Why an ID token was refused; logged, never shown. */
export type IdTokenRefusal =
  'malformed' | 'wrong_type' | 'bad_signature' | 'bad_claims' | 'nonce_mismatch' | 'wrong_azp'

/**
 * Checks an ID token from the token endpoint (OpenID Connect Core §3.1.3.7): signed by the
 * provider with an allowed algorithm (its signature is checked even though it came straight
 * from the provider), `iss` exactly the provider, `aud` containing this client's id and `azp`,
 * when present, equal to it, `exp`/`iat` within 60 s of skew, and the `nonce` of this sign-in.
 * An access token (`typ: at+jwt`) is no ID token (JWT-6).
 */
export async function verifyIdToken(
  idToken: string,
  expected: IdTokenExpectations,
): Promise<{ ok: true; payload: JWTPayload } | { ok: false; reason: IdTokenRefusal }> {
  const type = headerType(idToken)
  if (type === undefined) return { ok: false, reason: 'malformed' }
  if (type.toLowerCase() === 'at+jwt') return { ok: false, reason: 'wrong_type' }

  let payload: JWTPayload
  try {
    payload = await verifyProviderJwt(idToken, {
      keys: expected.keys,
      issuer: expected.issuer,
      audience: expected.clientId,
      requiredClaims: ['exp', 'iat', 'sub'],
      clock: expected.clock,
    })
  } catch (error) {
    return { ok: false, reason: reasonOf(error) }
  }

  if (payload.nonce !== expected.nonce) return { ok: false, reason: 'nonce_mismatch' }
  if (payload.azp !== undefined && payload.azp !== expected.clientId) {
    return { ok: false, reason: 'wrong_azp' }
  }
  return { ok: true, payload }
}

/** The header's `typ`, `''` when absent, undefined when the header does not parse. */
function headerType(token: string): string | undefined {
  try {
    const { typ } = decodeProtectedHeader(token)
    return typ ?? ''
  } catch {
    return undefined
  }
}

// Whatever is neither the claims nor the token's form is put down to the signature: an unknown
// key, a refused algorithm, or a signature that does not verify.
function reasonOf(error: unknown): IdTokenRefusal {
  const reason = jwtRefusalOf(error, 'bad_signature')
  if (reason === 'expired' || reason === 'bad_claims') return 'bad_claims'
  return reason === 'malformed' ? 'malformed' : 'bad_signature'
}
