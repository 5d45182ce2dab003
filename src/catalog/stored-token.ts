/**
 * An API token as the catalog keeps it: its SHA-512 digest, never the token itself, and its
 * permissions as JSON owned by the auth domain.
 */
export interface StoredToken {
  id: number
  name: string
  digest: string
  permissionsJson: string
  createdAt: Date
  /** Undefined: the token never expires. */
  expiresAt: Date | undefined
  createdByTokenId: number | undefined
  /** The user whose session created the token; undefined when a token created it. */
  createdByUserId: number | undefined
  updatedAt: Date | undefined
  updatedByTokenId: number | undefined
}

/** A token to store; the catalog assigns the id. `createdByUserId` may be left out. */
export type NewStoredToken = Omit<StoredToken, 'id' | 'createdByUserId'> & {
  createdByUserId?: number | undefined
}
