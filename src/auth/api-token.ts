import { hash } from 'node:crypto'

import { randomSecret } from './internal/secrets.js'

/** The prefix every Fluxgate API token starts with, as in InfluxDB 3. */
export const apiTokenPrefix = 'apiv3_'

/** A new API token: `apiv3_` and 64 CSPRNG bytes in unpadded base64url (92 characters). */
export function generateApiToken(): string {
  return randomSecret(64, apiTokenPrefix)
}

/** The lowercase hex SHA-512 of a presented token: the only form a token is ever stored in. */
export function tokenDigest(token: string): string {
  return hash('sha512', token, 'hex')
}
