/**
 * A user as the catalog keeps it. A deleted user keeps its row and id; its username and OAuth
 * id become free for a new user, who gets a new id.
 */
export interface UserRecord {
  /** Assigned by the catalog; never reused, not even after a deletion. */
  id: number
  /** Unique among users not deleted; undefined for a user known only by OAuth id. */
  username: string | undefined
  displayName: string | undefined
  /** The PHC string of the password hash; the password itself is never stored. */
  passwordHash: string | undefined
  /** The user must choose a new password before anything else. */
  requiresPasswordReset: boolean
  /** The subject at the identity provider; unique among users not deleted. */
  oauthId: string | undefined
  /** The granted roles, ascending. */
  roleIds: number[]
  createdAt: Date
  updatedAt: Date
  deletedAt: Date | undefined
}

/** What a new user is made of; the catalog assigns the id. */
export interface NewUser {
  username?: string
  displayName?: string
  passwordHash?: string
  /** Defaults to false. */
  requiresPasswordReset?: boolean
  oauthId?: string
  roleIds: number[]
  at: Date
}

/** The fields of a user that may change; an absent field keeps its value. */
export interface UserChanges {
  displayName?: string
  passwordHash?: string
  requiresPasswordReset?: boolean
}
