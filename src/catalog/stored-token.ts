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
  updatedAt: Date | undefined
  updatedByTokenId: number | undefined
}
