import type Database from 'better-sqlite3'

import { FluxgateError } from '../errors/index.js'
import { dateOrUndefined, orUndefined } from './internal/sqlite-values.js'
import type { RoleRecord } from './role-record.js'
import { builtInRoles } from './role-record.js'
import type { NewUser, UserChanges, UserRecord } from './user-record.js'
import type { UserStore } from './user-store.js'

// AUTOINCREMENT keeps ids from ever being reused. The partial indexes free a deleted user's
// username and OAuth id while the row stays; NULLs never collide, so both may be absent.
const userSchema = `
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT,
  display_name TEXT,
  password_hash TEXT,
  requires_password_reset INTEGER NOT NULL DEFAULT 0,
  oauth_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS users_live_username
  ON users (username) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS users_live_oauth_id
  ON users (oauth_id) WHERE deleted_at IS NULL;
CREATE TABLE IF NOT EXISTS roles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  is_required_role INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS user_roles (
  user_id INTEGER NOT NULL REFERENCES users(id),
  role_id INTEGER NOT NULL REFERENCES roles(id),
  PRIMARY KEY (user_id, role_id)
);
`

interface UserRow {
  id: number
  username: string | null
  display_name: string | null
  password_hash: string | null
  requires_password_reset: number
  oauth_id: string | null
  created_at: number
  updated_at: number
  deleted_at: number | null
}

interface RoleRow {
  id: number
  name: string
  description: string
  is_required_role: number
  created_at: number
  updated_at: number
}

interface UserRoleRow {
  user_id: number
  role_id: number
}

/**
 * Creates the user and role tables when missing, and seeds the built-in roles into a catalog
 * that has no roles yet.
 */
export function createUserTables(db: Database.Database, now: Date): void {
  db.exec(userSchema)

  const seed = db.transaction(() => {
    const count = db.prepare<[], number>('SELECT count(*) FROM roles').pluck().get()
    if (count !== 0) return

    const insert = db.prepare(
      `INSERT INTO roles (id, name, description, is_required_role, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    for (const role of builtInRoles) {
      const required = role.isRequiredRole ? 1 : 0
      insert.run(role.id, role.name, role.description, required, now.getTime(), now.getTime())
    }
  })
  seed.immediate()
}

/** The UserStore of a SQLite catalog, sharing the catalog's connection. */
export class SqliteUserStore implements UserStore {
  readonly #db: Database.Database
  readonly #sql: ReturnType<typeof prepareUserStatements>

  constructor(db: Database.Database) {
    this.#db = db
    this.#sql = prepareUserStatements(db)
  }

  loadUsers(): UserRecord[] {
    const roleIds = groupRoleIds(this.#sql.allUserRoles.all())
    return this.#sql.allUsers.all().map((row) => toUserRecord(row, roleIds.get(row.id) ?? []))
  }

  insertUser(input: NewUser): UserRecord {
    return this.#atomically(() => {
      this.#assertIdentityFree(input)
      const roleIds = this.#knownRoleIds(input.roleIds)

      const { lastInsertRowid } = this.#sql.insertUser.run({
        username: input.username ?? null,
        displayName: input.displayName ?? null,
        passwordHash: input.passwordHash ?? null,
        requiresPasswordReset: input.requiresPasswordReset === true ? 1 : 0,
        oauthId: input.oauthId ?? null,
        at: input.at.getTime(),
      })
      const id = Number(lastInsertRowid)
      for (const roleId of roleIds) this.#sql.insertUserRole.run(id, roleId)

      return this.#require(id)
    })
  }

  updateUser(id: number, changes: UserChanges, at: Date): UserRecord {
    return this.#atomically(() => {
      this.#requireLiveRow(id)

      this.#sql.updateUser.run({
        id,
        displayName: changes.displayName ?? null,
        passwordHash: changes.passwordHash ?? null,
        requiresPasswordReset: flagOrNull(changes.requiresPasswordReset),
        at: at.getTime(),
      })

      return this.#require(id)
    })
  }

  setUserRoles(id: number, roleIds: number[], at: Date): UserRecord {
    return this.#atomically(() => {
      this.#requireLiveRow(id)
      const known = this.#knownRoleIds(roleIds)

      this.#sql.deleteUserRoles.run(id)
      for (const roleId of known) this.#sql.insertUserRole.run(id, roleId)
      this.#sql.touchUser.run(at.getTime(), id)

      return this.#require(id)
    })
  }

  markUserDeleted(id: number, at: Date): UserRecord {
    return this.#atomically(() => {
      const row = this.#requireRow(id)
      if (row.deleted_at !== null)
        throw new FluxgateError('ERR_ALREADY_DELETED', `user ${id} already deleted`)

      this.#sql.markDeleted.run({ id, at: at.getTime() })
      return this.#require(id)
    })
  }

  loadRoles(): RoleRecord[] {
    return this.#sql.allRoles.all().map(toRoleRecord)
  }

  /** Runs `work` in one write transaction, taken at the start so checks and writes agree. */
  #atomically<T>(work: () => T): T {
    return this.#db.transaction(work).immediate()
  }

  #assertIdentityFree(input: NewUser): void {
    if (input.username !== undefined && this.#sql.liveUsername.get(input.username) !== undefined)
      throw new FluxgateError('ERR_ALREADY_EXISTS', `user ${input.username} already exists`)

    if (input.oauthId !== undefined && this.#sql.liveOauthId.get(input.oauthId) !== undefined)
      throw new FluxgateError('ERR_ALREADY_EXISTS', 'a user with that OAuth id already exists')
  }

  /** The distinct role ids, ascending; throws for the first one that names no role. */
  #knownRoleIds(roleIds: number[]): number[] {
    const distinct = [...new Set(roleIds)].sort((a, b) => a - b)
    for (const roleId of distinct) {
      if (this.#sql.roleExists.get(roleId) === undefined)
        throw new FluxgateError('ERR_RESOURCE_NOT_FOUND', `role ${roleId} not found`)
    }
    return distinct
  }

  #requireRow(id: number): UserRow {
    const row = this.#sql.userById.get(id)
    if (row === undefined) throw new FluxgateError('ERR_RESOURCE_NOT_FOUND', `user ${id} not found`)
    return row
  }

  #requireLiveRow(id: number): UserRow {
    const row = this.#requireRow(id)
    if (row.deleted_at !== null)
      throw new FluxgateError('ERR_ALREADY_DELETED', `user ${id} is deleted`)
    return row
  }

  #require(id: number): UserRecord {
    return toUserRecord(this.#requireRow(id), this.#sql.roleIdsOf.all(id))
  }
}

function prepareUserStatements(db: Database.Database) {
  return {
    allUsers: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY id'),
    userById: db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?'),
    liveUsername: db
      .prepare<[string], number>('SELECT id FROM users WHERE username = ? AND deleted_at IS NULL')
      .pluck(),
    liveOauthId: db
      .prepare<[string], number>('SELECT id FROM users WHERE oauth_id = ? AND deleted_at IS NULL')
      .pluck(),
    insertUser: db.prepare<UserInsert>(
      `INSERT INTO users (username, display_name, password_hash, requires_password_reset,
         oauth_id, created_at, updated_at)
       VALUES (@username, @displayName, @passwordHash, @requiresPasswordReset, @oauthId, @at, @at)`,
    ),
    // A NULL parameter keeps the column as it is.
    updateUser: db.prepare<UserUpdate>(
      `UPDATE users SET
         display_name = coalesce(@displayName, display_name),
         password_hash = coalesce(@passwordHash, password_hash),
         requires_password_reset = coalesce(@requiresPasswordReset, requires_password_reset),
         updated_at = @at
       WHERE id = @id`,
    ),
    touchUser: db.prepare<[number, number]>('UPDATE users SET updated_at = ? WHERE id = ?'),
    markDeleted: db.prepare<{ id: number; at: number }>(
      'UPDATE users SET deleted_at = @at, updated_at = @at WHERE id = @id',
    ),
    allUserRoles: db.prepare<[], UserRoleRow>(
      'SELECT user_id, role_id FROM user_roles ORDER BY user_id, role_id',
    ),
    roleIdsOf: db
      .prepare<[number], number>(
        'SELECT role_id FROM user_roles WHERE user_id = ? ORDER BY role_id',
      )
      .pluck(),
    insertUserRole: db.prepare<[number, number]>(
      'INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)',
    ),
    deleteUserRoles: db.prepare<[number]>('DELETE FROM user_roles WHERE user_id = ?'),
    allRoles: db.prepare<[], RoleRow>('SELECT * FROM roles ORDER BY id'),
    roleExists: db.prepare<[number], number>('SELECT id FROM roles WHERE id = ?').pluck(),
  }
}

interface UserInsert {
  username: string | null
  displayName: string | null
  passwordHash: string | null
  requiresPasswordReset: number
  oauthId: string | null
  at: number
}

interface UserUpdate {
  id: number
  displayName: string | null
  passwordHash: string | null
  requiresPasswordReset: number | null
  at: number
}

function flagOrNull(flag: boolean | undefined): number | null {
  if (flag === undefined) return null
  return flag ? 1 : 0
}

function groupRoleIds(rows: UserRoleRow[]): Map<number, number[]> {
  const byUser = new Map<number, number[]>()
  for (const row of rows) {
    const roleIds = byUser.get(row.user_id)
    if (roleIds === undefined) byUser.set(row.user_id, [row.role_id])
    else roleIds.push(row.role_id)
  }
  return byUser
}

function toUserRecord(row: UserRow, roleIds: number[]): UserRecord {
  return {
    id: row.id,
    username: orUndefined(row.username),
    displayName: orUndefined(row.display_name),
    passwordHash: orUndefined(row.password_hash),
    requiresPasswordReset: row.requires_password_reset === 1,
    oauthId: orUndefined(row.oauth_id),
    roleIds,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    deletedAt: dateOrUndefined(row.deleted_at),
  }
}

function toRoleRecord(row: RoleRow): RoleRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isRequiredRole: row.is_required_role === 1,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  }
}
