/**
 * A refresh token as the catalog keeps it: the digest of its secret, never the secret. Each
 * one can be used once, to obtain the next.
 */
export interface RefreshTokenRecord {
  /** Chosen by the caller: the digest of the secret handed to the client. */
  digest: string
  sessionId: string
  createdAt: Date
  expiresAt: Date
  /** When it was exchanged; undefined while it is still unused. */
  usedAt: Date | undefined
}
