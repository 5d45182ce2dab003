import type { IssuedToken } from '../../../auth/index.js'
import { json } from '../../replies.js'
import type { BufferedReply } from '../../route.js'

/**
 * The reference's token object: the secret appears here and nowhere else, ever. `hash` is the
 * full hex SHA-512 of the token.
 */
export function issuedTokenReply(issued: IssuedToken): BufferedReply {
  return json(201, tokenObject(issued))
}

/** The JSON object of a created or regenerated token. */
export function tokenObject(issued: IssuedToken) {
  const { record, secret } = issued
  return {
    id: record.id,
    name: record.name,
    token: secret,
    hash: record.digest,
    created_at: record.createdAt.toISOString(),
    expiry: record.expiresAt?.toISOString() ?? null,
  }
}

/** The longest expiry a token may ask for: 1,000 years, well inside what a date can hold. */
export const maxExpirySeconds = 1000 * 365 * 86_400
