import { jwtVerify } from 'jose'
import type { JWTPayload } from 'jose'

import type { Clock } from '../../shared/index.js'
import { clockToleranceSeconds } from '../internal/jwt-refusal.js'
import type { ProviderKeySet } from './provider-key-set.js'

/** Asymmetric algorithms only: `none` and HS* never verify a provider token (JWT-1, JWT-2). */
const providerAlgorithms = ['RS256', 'ES256', 'PS256']

/** What a JWT the provider signed is checked against. */
export interface ProviderJwtExpectations {
  keys: ProviderKeySet
  issuer: string
  audience: string
  requiredClaims: string[]
  clock: Clock
}

/**
 * The payload of a JWT the provider signed: an allowed algorithm, a key from the provider's key
 * set, `iss` exactly the issuer, `aud` containing the audience, the required claims present and
 * `exp`/`nbf` within 60 s of skew. Rejects with jose's error, for the caller to name.
 */
export async function verifyProviderJwt(
  token: string,
  expected: ProviderJwtExpectations,
): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, expected.keys.keyFor, {
    algorithms: providerAlgorithms,
    issuer: expected.issuer,
    audience: expected.audience,
    requiredClaims: expected.requiredClaims,
    clockTolerance: clockToleranceSeconds,
    currentDate: expected.clock.now(),
  })
  return payload
}
