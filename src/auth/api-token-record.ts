import type { Permission } from './permission.js'

/** The name of the operator token: at most one exists, and it can be regenerated, not deleted. */
export const operatorTokenName = '_admin'

/** An API token as the server knows it: never the secret, only its digest. */
export interface ApiTokenRecord {
  id: number
  name: string
  digest: string
  permissions: Permission[]
  createdAt: Date
  expiresAt: Date | undefined
  createdByTokenId: number | undefined
  /** The user who created the token; it never does more than that user may do now. */
  createdByUserId: number | undefined
  updatedAt: Date | undefined
  updatedByTokenId: number | undefined
}

/** A token just created or regenerated, with its secret: shown once, then gone. */
export interface IssuedToken {
  record: ApiTokenRecord
  secret: string
}
