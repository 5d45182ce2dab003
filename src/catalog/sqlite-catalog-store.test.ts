import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'

import Database from 'better-sqlite3'

import { frozenClock } from '../shared/index.js'
import type { ColumnDef } from '../storage/index.js'
import { Catalog } from './catalog.js'
import type { CatalogStore } from './catalog-store.js'
import { defaultCatalogLimits } from './catalog-types.js'
import { openSqliteCatalogStore } from './sqlite-catalog-store.js'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

// The catalog as the version before user accounts wrote it: no user, session or audit tables,
// and no `created_by_user_id` on tokens.
const schemaBeforeUsers = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE databases (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  retention_ns TEXT,
  created_at INTEGER NOT NULL,
  deleted_at INTEGER,
  hard_delete_at INTEGER
);
CREATE TABLE tables (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  database_id INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  UNIQUE (database_id, name)
);
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  digest TEXT NOT NULL UNIQUE,
  permissions TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  created_by_token_id INTEGER,
  updated_at INTEGER,
  updated_by_token_id INTEGER
);
CREATE TABLE columns (
  table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  PRIMARY KEY (table_id, position),
  UNIQUE (table_id, name)
);
INSERT INTO meta VALUES ('cluster_id', '00000000-0000-4000-8000-000000000000');
INSERT INTO meta VALUES ('next_token_id', '1');
INSERT INTO databases (name, created_at) VALUES ('alpha', 1772359200000);
INSERT INTO tokens (id, name, digest, permissions, created_at, created_by_token_id)
  VALUES (0, '_admin', 'digest-0', '["*:*:*"]', 1772359200000, NULL);
`

const cpuColumns: ColumnDef[] = [
  { name: 'host', type: 'tag' },
  { name: 'usage', type: 'float' },
  { name: 'count', type: 'integer' },
  { name: 'time', type: 'time' },
]

describe('SQLite catalog store on a file', () => {
  let dir: string
  let path: string
  let open: CatalogStore[]

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fluxgate-catalog-store-'))
    path = join(dir, 'nested', 'catalog.db')
    open = []
  })

  afterEach(() => {
    for (const store of open) store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  function openStore(at = path): CatalogStore {
    const store = openSqliteCatalogStore(at)
    open.push(store)
    return store
  }

  function reopen(store: CatalogStore): CatalogStore {
    store.close()
    open = open.filter((s) => s !== store)
    return openStore()
  }

  function openCatalog(store: CatalogStore): Catalog {
    return new Catalog(store, defaultCatalogLimits, frozenClock('2026-03-01T10:00:00Z'))
  }

  it('creates missing parent folders and a UUID cluster id that survives a reopen', () => {
    const first = openStore()
    const id = first.clusterId()

    assert.match(id, uuid)
    assert.equal(reopen(first).clusterId(), id)
  })

  it('gives another catalog file another cluster id', () => {
    const other = openStore(join(dir, 'other.db'))

    assert.notEqual(other.clusterId(), openStore().clusterId())
  })

  it('keeps databases with ids, retention and creation time across a reopen', () => {
    const first = openStore()
    const createdAt = new Date('2026-03-01T10:00:00.123Z')
    const alpha = first.insertDatabase('alpha', 42n, createdAt)
    const bravo = first.insertDatabase('bravo', undefined, createdAt)

    const loaded = reopen(first).loadDatabases()

    assert.deepEqual(loaded, [alpha, bravo])
    assert.equal(loaded[0]?.retentionNanos, 42n)
  })

  it('keeps a table with its columns in creation order across a reopen', () => {
    const first = openStore()
    const db = first.insertDatabase('alpha', undefined, new Date(0))
    const table = first.insertTable(db.id, 'cpu', cpuColumns)

    const loaded = reopen(first).loadTables()

    assert.deepEqual(loaded, [
      { id: table.id, databaseId: db.id, name: 'cpu', columns: cpuColumns },
    ])
  })

  it('appends columns after the existing ones, also after a reopen', () => {
    const first = openStore()
    const db = first.insertDatabase('alpha', undefined, new Date(0))
    const table = first.insertTable(db.id, 'cpu', cpuColumns)
    first.appendColumns(table.id, [{ name: 'region', type: 'tag' }])

    const second = reopen(first)
    second.appendColumns(table.id, [
      { name: 'ok', type: 'boolean' },
      { name: 'note', type: 'string' },
    ])

    const names = reopen(second)
      .loadTables()[0]
      ?.columns.map((c) => c.name)
    assert.deepEqual(names, ['host', 'usage', 'count', 'time', 'region', 'ok', 'note'])
  })

  it('loads a table that has no columns yet', () => {
    const store = openStore()
    const db = store.insertDatabase('alpha', undefined, new Date(0))
    store.insertTable(db.id, 'empty', [])

    assert.deepEqual(
      store.loadTables().map((t) => [t.name, t.columns]),
      [['empty', []]],
    )
  })

  it('forgets a deleted table, and purging a database removes its tables', () => {
    const first = openStore()
    const alpha = first.insertDatabase('alpha', undefined, new Date(0))
    const bravo = first.insertDatabase('bravo', undefined, new Date(0))
    const cpu = first.insertTable(alpha.id, 'cpu', cpuColumns)
    first.insertTable(alpha.id, 'mem', cpuColumns)
    first.insertTable(bravo.id, 'disk', cpuColumns)

    first.deleteTable(cpu.id)
    first.purgeDatabase(bravo.id)
    const second = reopen(first)

    assert.deepEqual(
      second.loadTables().map((t) => t.name),
      ['mem'],
    )
    assert.deepEqual(
      second.loadDatabases().map((d) => d.name),
      ['alpha'],
    )
  })

  it('refuses a second table of the same name in one database and keeps the first', () => {
    const store = openStore()
    const db = store.insertDatabase('alpha', undefined, new Date(0))
    store.insertTable(db.id, 'cpu', cpuColumns)

    assert.throws(() => store.insertTable(db.id, 'cpu', [{ name: 'x', type: 'float' }]))
    assert.deepEqual(store.loadTables()[0]?.columns, cpuColumns)
  })

  it('serves a reopened Catalog the tables and columns written through the first one', () => {
    const catalog = openCatalog(openStore())
    const db = catalog.createDatabase('alpha')
    const cpu = catalog.createTable(db.id, 'cpu', cpuColumns)
    catalog.addColumns(cpu, [{ name: 'region', type: 'tag' }])
    catalog.createTable(db.id, 'mem', [{ name: 'time', type: 'time' }])
    const clusterId = catalog.clusterId
    catalog.close()
    open = []

    const again = openCatalog(openStore())
    const dbAgain = again.findDatabase('alpha')
    assert.equal(dbAgain?.id, db.id)
    assert.equal(again.clusterId, clusterId)
    assert.deepEqual(
      again.listTables(db.id).map((t) => t.name),
      ['cpu', 'mem'],
    )
    assert.deepEqual(again.findTable(db.id, 'cpu')?.columns, [
      ...cpuColumns,
      { name: 'region', type: 'tag' },
    ])
    assert.equal(again.tableCount(), 2)
  })

  it('keeps the user who created a token, and no user when a token created it', () => {
    const first = openStore()
    const at = new Date('2026-03-01T10:00:00Z')
    const byUser = first.insertToken({ ...tokenFields('by-user', at), createdByUserId: 4 })
    const byToken = first.insertToken({ ...tokenFields('by-token', at), createdByTokenId: 0 })

    const loaded = reopen(first).loadTokens()

    assert.equal(byUser.createdByUserId, 4)
    assert.equal(byToken.createdByUserId, undefined)
    assert.deepEqual(loaded, [byUser, byToken])
  })

  it('opens a catalog written before user accounts and brings it up to date', () => {
    mkdirSync(dirname(path), { recursive: true })
    const old = new Database(path)
    old.exec(schemaBeforeUsers)
    old.close()

    const first = openStore()
    assert.equal(first.clusterId(), '00000000-0000-4000-8000-000000000000')
    assert.deepEqual(
      first.loadDatabases().map((db) => db.name),
      ['alpha'],
    )
    assert.deepEqual(
      first.loadTokens().map((t) => [t.id, t.name, t.createdByUserId]),
      [[0, '_admin', undefined]],
    )
    assert.deepEqual(
      first
        .users()
        .loadRoles()
        .map((r) => r.name),
      ['Admin', 'Auditor', 'Member'],
    )
    const ada = first.users().insertUser({ username: 'ada', roleIds: [1], at: new Date(0) })
    const token = first.insertToken({ ...tokenFields('ada', new Date(0)), createdByUserId: ada.id })

    const second = reopen(first)
    assert.deepEqual(second.loadTokens()[1], token)
    assert.equal(token.id, 1)
    assert.deepEqual(second.users().loadUsers(), [ada])
    assert.equal(second.audit().append(auditEntry).id, 1)
  })
})

const auditEntry = {
  time: new Date(0),
  action: 'user_create',
  outcome: 'success',
  actorKind: 'token',
  actorId: '0',
  actorName: '_admin',
  target: 'user:1',
  clientAddress: undefined,
  detail: undefined,
} as const

function tokenFields(name: string, at: Date) {
  return {
    name,
    digest: `digest-${name}`,
    permissionsJson: '[]',
    createdAt: at,
    expiresAt: undefined,
    createdByTokenId: undefined,
    updatedAt: undefined,
    updatedByTokenId: undefined,
  }
}
