/** The skew allowed between the issuer's clock and ours, on `exp`, `nbf` and `iat` alike. */
export const clockToleranceSeconds = 60

/** Why a JWT was refused; logged, never shown to the client. */
export type JwtRefusal = 'malformed' | 'bad_signature' | 'unknown_kid' | 'expired' | 'bad_claims'

// A Map, not an object literal: a code such as `constructor` must not find a prototype member.
const refusalByCode = new Map<string, JwtRefusal>([
  ['ERR_JWT_EXPIRED', 'expired'],
  ['ERR_JWKS_NO_MATCHING_KEY', 'unknown_kid'],
  ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'bad_signature'],
  ['ERR_JOSE_ALG_NOT_ALLOWED', 'bad_signature'],
  ['ERR_JWT_CLAIM_VALIDATION_FAILED', 'bad_claims'],
  ['ERR_JWS_INVALID', 'malformed'],
  ['ERR_JWT_INVALID', 'malformed'],
])

/** The refusal a `jwtVerify` error stands for; `otherwise` when its code names no known cause. */
export function jwtRefusalOf(error: unknown, otherwise: JwtRefusal = 'malformed'): JwtRefusal {
  const code = (error as { code?: unknown }).code
  return (typeof code === 'string' ? refusalByCode.get(code) : undefined) ?? otherwise
}
