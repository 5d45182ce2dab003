import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'

import { frozenClock } from '../shared/index.js'
import type { ColumnDef } from '../storage/index.js'
import { Catalog } from './catalog.js'
import type { CatalogStore } from './catalog-store.js'
import { defaultCatalogLimits } from './catalog-types.js'
import { openSqliteCatalogStore } from './sqlite-catalog-store.js'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

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
})
