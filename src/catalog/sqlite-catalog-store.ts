import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

import Database from 'better-sqlite3'

import type { Clock } from '../shared/index.js'
import { systemClock } from '../shared/index.js'
import type { ColumnDef, ColumnType } from '../storage/index.js'
import type { AuditStore } from './audit-store.js'
import type { CatalogStore } from './catalog-store.js'
import type { DatabaseRecord, TableRecord } from './catalog-types.js'
import type { SessionStore } from './session-store.js'
import { createAuditTable, SqliteAuditStore } from './sqlite-audit-store.js'
import { createSessionTables, SqliteSessionStore } from './sqlite-session-store.js'
import { createUserTables, SqliteUserStore } from './sqlite-user-store.js'
import type { NewStoredToken, StoredToken } from './stored-token.js'
import type { UserStore } from './user-store.js'

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS databases (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  retention_ns TEXT,
  created_at INTEGER NOT NULL,
  deleted_at INTEGER,
  hard_delete_at INTEGER
);
CREATE TABLE IF NOT EXISTS tables (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  database_id INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  UNIQUE (database_id, name)
);
CREATE TABLE IF NOT EXISTS tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  digest TEXT NOT NULL UNIQUE,
  permissions TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  created_by_token_id INTEGER,
  updated_at INTEGER,
  updated_by_token_id INTEGER,
  created_by_user_id INTEGER
);
CREATE TABLE IF NOT EXISTS columns (
  table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  PRIMARY KEY (table_id, position),
  UNIQUE (table_id, name)
);
`

interface DatabaseRow {
  id: number
  name: string
  retention_ns: string | null
  created_at: number
  deleted_at: number | null
  hard_delete_at: number | null
}

interface TokenRow {
  id: number
  name: string
  digest: string
  permissions: string
  created_at: number
  expires_at: number | null
  created_by_token_id: number | null
  updated_at: number | null
  updated_by_token_id: number | null
  created_by_user_id: number | null
}

interface ColumnRow {
  table_id: number
  database_id: number
  table_name: string
  name: string | null
  type: string | null
}

/**
 * Opens the SQLite catalog at `path` (`:memory:` for a throwaway catalog), creating it or
 * bringing a catalog written by an older version up to date. `clock` dates the built-in roles
 * of a new catalog.
 */
export function openSqliteCatalogStore(path: string, clock: Clock = systemClock): CatalogStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })

  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.exec(schema)
  addMissingTokenColumns(db)
  createUserTables(db, clock.now())
  createSessionTables(db)
  createAuditTable(db)

  return new SqliteCatalogStore(db)
}

/** Catalogs written before user accounts existed lack the column naming a token's creator. */
function addMissingTokenColumns(db: Database.Database): void {
  const columns = db.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck()
  if (!columns.all('tokens').includes('created_by_user_id'))
    db.exec('ALTER TABLE tokens ADD COLUMN created_by_user_id INTEGER')
}

class SqliteCatalogStore implements CatalogStore {
  readonly #db: Database.Database
  readonly #clusterId: string
  readonly #users: SqliteUserStore
  readonly #sessions: SqliteSessionStore
  readonly #audit: SqliteAuditStore

  constructor(db: Database.Database) {
    this.#db = db
    this.#clusterId = this.#ensureClusterId()
    this.#users = new SqliteUserStore(db)
    this.#sessions = new SqliteSessionStore(db)
    this.#audit = new SqliteAuditStore(db)
  }

  clusterId(): string {
    return this.#clusterId
  }

  loadDatabases(): DatabaseRecord[] {
    const rows = this.#db.prepare('SELECT * FROM databases ORDER BY id').all() as DatabaseRow[]
    return rows.map(toDatabaseRecord)
  }

  loadTables(): TableRecord[] {
    const rows = this.#db
      .prepare(
        `SELECT t.id AS table_id, t.database_id, t.name AS table_name, c.name, c.type
         FROM tables t LEFT JOIN columns c ON c.table_id = t.id
         ORDER BY t.id, c.position`,
      )
      .all() as ColumnRow[]
    return groupColumns(rows)
  }

  insertDatabase(name: string, retentionNanos: bigint | undefined, createdAt: Date) {
    const result = this.#db
      .prepare('INSERT INTO databases (name, retention_ns, created_at) VALUES (?, ?, ?)')
      .run(name, retentionNanos?.toString() ?? null, createdAt.getTime())

    return {
      id: Number(result.lastInsertRowid),
      name,
      retentionNanos,
      createdAt,
      deletedAt: undefined,
      hardDeleteAt: undefined,
    }
  }

  updateRetention(databaseId: number, retentionNanos: bigint | undefined): void {
    this.#db
      .prepare('UPDATE databases SET retention_ns = ? WHERE id = ?')
      .run(retentionNanos?.toString() ?? null, databaseId)
  }

  markDatabaseDeleted(id: number, newName: string, at: Date, hardDeleteAt: Date | undefined) {
    this.#db
      .prepare('UPDATE databases SET name = ?, deleted_at = ?, hard_delete_at = ? WHERE id = ?')
      .run(newName, at.getTime(), hardDeleteAt?.getTime() ?? null, id)
  }

  purgeDatabase(id: number): void {
    this.#db.prepare('DELETE FROM databases WHERE id = ?').run(id)
  }

  insertTable(databaseId: number, name: string, columns: ColumnDef[]): TableRecord {
    const insert = this.#db.transaction(() => {
      const result = this.#db
        .prepare('INSERT INTO tables (database_id, name) VALUES (?, ?)')
        .run(databaseId, name)
      const id = Number(result.lastInsertRowid)
      this.#insertColumns(id, 0, columns)
      return id
    })

    return { id: insert(), databaseId, name, columns: [...columns] }
  }

  appendColumns(tableId: number, columns: ColumnDef[]): void {
    const append = this.#db.transaction(() => {
      const row = this.#db
        .prepare('SELECT count(*) AS n FROM columns WHERE table_id = ?')
        .get(tableId) as { n: number }
      this.#insertColumns(tableId, row.n, columns)
    })
    append()
  }

  deleteTable(tableId: number): void {
    this.#db.prepare('DELETE FROM tables WHERE id = ?').run(tableId)
  }

  loadTokens(): StoredToken[] {
    const rows = this.#db.prepare('SELECT * FROM tokens ORDER BY id').all() as TokenRow[]
    return rows.map(toStoredToken)
  }

  insertToken(token: NewStoredToken): StoredToken {
    const insert = this.#db.transaction(() => {
      const id = this.#nextTokenId()
      this.#db
        .prepare(
          `INSERT INTO tokens (id, name, digest, permissions, created_at, expires_at,
             created_by_token_id, created_by_user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          token.name,
          token.digest,
          token.permissionsJson,
          token.createdAt.getTime(),
          token.expiresAt?.getTime() ?? null,
          token.createdByTokenId ?? null,
          token.createdByUserId ?? null,
        )
      return id
    })
    return { ...token, createdByUserId: token.createdByUserId, id: insert() }
  }

  replaceTokenDigest(id: number, digest: string, at: Date, byTokenId: number | undefined): void {
    this.#db
      .prepare('UPDATE tokens SET digest = ?, updated_at = ?, updated_by_token_id = ? WHERE id = ?')
      .run(digest, at.getTime(), byTokenId ?? null, id)
  }

  deleteToken(id: number): void {
    this.#db.prepare('DELETE FROM tokens WHERE id = ?').run(id)
  }

  users(): UserStore {
    return this.#users
  }

  sessions(): SessionStore {
    return this.#sessions
  }

  audit(): AuditStore {
    return this.#audit
  }

  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)()
  }

  close(): void {
    this.#db.close()
  }

  /** Token ids start at 0 and are never reused, even after deletion. */
  #nextTokenId(): number {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = 'next_token_id'").get() as
      { value: string } | undefined
    const id = row === undefined ? 0 : Number(row.value)
    this.#db
      .prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('next_token_id', ?)")
      .run(String(id + 1))
    return id
  }

  #insertColumns(tableId: number, firstPosition: number, columns: ColumnDef[]): void {
    const insert = this.#db.prepare(
      'INSERT INTO columns (table_id, position, name, type) VALUES (?, ?, ?, ?)',
    )
    columns.forEach((column, index) => {
      insert.run(tableId, firstPosition + index, column.name, column.type)
    })
  }

  #ensureClusterId(): string {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = 'cluster_id'").get() as
      { value: string } | undefined
    if (row !== undefined) return row.value

    const id = randomUUID()
    this.#db.prepare("INSERT INTO meta (key, value) VALUES ('cluster_id', ?)").run(id)
    return id
  }
}

function toDatabaseRecord(row: DatabaseRow): DatabaseRecord {
  return {
    id: row.id,
    name: row.name,
    retentionNanos: row.retention_ns === null ? undefined : BigInt(row.retention_ns),
    createdAt: new Date(row.created_at),
    deletedAt: row.deleted_at === null ? undefined : new Date(row.deleted_at),
    hardDeleteAt: row.hard_delete_at === null ? undefined : new Date(row.hard_delete_at),
  }
}

function toStoredToken(row: TokenRow): StoredToken {
  return {
    id: row.id,
    name: row.name,
    digest: row.digest,
    permissionsJson: row.permissions,
    createdAt: new Date(row.created_at),
    expiresAt: row.expires_at === null ? undefined : new Date(row.expires_at),
    createdByTokenId: row.created_by_token_id ?? undefined,
    updatedAt: row.updated_at === null ? undefined : new Date(row.updated_at),
    updatedByTokenId: row.updated_by_token_id ?? undefined,
    createdByUserId: row.created_by_user_id ?? undefined,
  }
}

function groupColumns(rows: ColumnRow[]): TableRecord[] {
  const tables = new Map<number, TableRecord>()
  for (const row of rows) {
    let table = tables.get(row.table_id)
    if (table === undefined) {
      table = { id: row.table_id, databaseId: row.database_id, name: row.table_name, columns: [] }
      tables.set(row.table_id, table)
    }
    if (row.name !== null && row.type !== null) {
      table.columns.push({ name: row.name, type: row.type as ColumnType })
    }
  }
  return [...tables.values()]
}
