/** A server-side login record, the `sid` of the access tokens issued for it. */
export interface SessionRecord {
  /** Chosen by the caller: a random string. */
  id: string
  userId: number
  createdAt: Date
  expiresAt: Date
  lastUsedAt: Date
  /** The address the login came from, when known. */
  clientAddress: string | undefined
  /** Set once, when the session ends (logout, revocation, user deleted). */
  endedAt: Date | undefined
  endReason: string | undefined
}
