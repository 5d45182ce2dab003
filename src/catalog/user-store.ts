import type { RoleRecord } from './role-record.js'
import type { NewUser, UserChanges, UserRecord } from './user-record.js'

/**
 * Durable home of users, roles and the roles each user holds. Every method is atomic: when it
 * throws, nothing changed. An unknown user id throws ERR_RESOURCE_NOT_FOUND.
 */
export interface UserStore {
  /** Every user, deleted ones included, ordered by id. */
  loadUsers(): UserRecord[]
  /**
   * Stores a user and its roles under a new id. Throws ERR_ALREADY_EXISTS when a user not
   * deleted has the same username or OAuth id, and ERR_RESOURCE_NOT_FOUND for an unknown role.
   */
  insertUser(input: NewUser): UserRecord
  /** Applies `changes` and sets `updatedAt`. Throws ERR_ALREADY_DELETED for a deleted user. */
  updateUser(id: number, changes: UserChanges, at: Date): UserRecord
  /**
   * Replaces the user's roles with `roleIds`. Throws ERR_RESOURCE_NOT_FOUND for an unknown role
   * and ERR_ALREADY_DELETED for a deleted user.
   */
  setUserRoles(id: number, roleIds: number[], at: Date): UserRecord
  /**
   * Marks the user deleted, keeping its row, id and roles; its username and OAuth id become
   * free. Throws ERR_ALREADY_DELETED when it was deleted before.
   */
  markUserDeleted(id: number, at: Date): UserRecord
  /** Every role, ordered by id; the built-in roles have ids 1 to 3. */
  loadRoles(): RoleRecord[]
}
