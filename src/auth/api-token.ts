import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** The prefix every Fluxgate API token starts with, as in InfluxDB 3. */
export const apiTokenPrefix = 'apiv3_'

/** A new API token: `apiv3_` and 64 CSPRNG bytes in unpadded base64url (92 characters). */
export function generateApiToken(): string {
  return `${apiTokenPrefix}${randomBytes(64).toString('base64url')}`
}

/** The lowercase hex SHA-512 of a presented token: the only form a token is ever stored in. */
export function tokenDigest(token: string): string {
  return createHash('sha512').update(token, 'utf8').digest('hex')
}

/** Compares two digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex')
  const right = Buffer.from(b, 'hex')
  return left.length === right.length && timingSafeEqual(left, right)
}
