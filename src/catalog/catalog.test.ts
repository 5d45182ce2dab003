import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'

import { frozenClock } from '../shared/index.js'
import type { FrozenClock } from '../shared/index.js'
import { Catalog } from './catalog.js'
import type { CatalogLimits } from './catalog-types.js'
import { defaultCatalogLimits } from './catalog-types.js'
import { openSqliteCatalogStore } from './sqlite-catalog-store.js'

const sevenDays = 7n * 86_400n * 1_000_000_000n

describe('Catalog databases', () => {
  let dir: string
  let clock: FrozenClock
  let open: Catalog[]

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fluxgate-catalog-'))
    clock = frozenClock('2026-03-01T10:00:00.123Z')
    open = []
  })

  afterEach(() => {
    for (const catalog of open) catalog.close()
    rmSync(dir, { recursive: true, force: true })
  })

  function openCatalog(limits: CatalogLimits = defaultCatalogLimits): Catalog {
    const catalog = new Catalog(openSqliteCatalogStore(join(dir, 'catalog.db')), limits, clock)
    open.push(catalog)
    return catalog
  }

  function names(catalog: Catalog, includeDeleted = false): string[] {
    return catalog.listDatabases({ includeDeleted }).map((db) => db.name)
  }

  it('gives a second deletion of the same name in the same second its own name', () => {
    const catalog = openCatalog()
    catalog.createDatabase('foo')
    catalog.softDeleteDatabase('foo', undefined)
    catalog.createDatabase('foo')
    catalog.softDeleteDatabase('foo', undefined)

    assert.deepEqual(
      names(catalog, true).filter((n) => n.startsWith('foo')),
      ['foo-20260301T100000', 'foo-20260301T100000-2'],
    )
  })

  it('holds `_internal` with seven days of retention from the first open', () => {
    const internal = openCatalog().findDatabase('_internal')

    assert.equal(internal?.retentionNanos, sevenDays)
    assert.equal(internal.deletedAt, undefined)
  })

  it('creates a database stamped with the clock and lists databases sorted by name', () => {
    const catalog = openCatalog()
    catalog.createDatabase('zulu')
    const alpha = catalog.createDatabase('alpha', sevenDays)

    assert.deepEqual(alpha.createdAt, clock.now())
    assert.equal(alpha.retentionNanos, sevenDays)
    assert.deepEqual(names(catalog), ['_internal', 'alpha', 'zulu'])
  })

  it('refuses a second database of the same name and an invalid name', () => {
    const catalog = openCatalog()
    catalog.createDatabase('alpha')

    assert.throws(() => catalog.createDatabase('alpha'), {
      code: 'ERR_ALREADY_EXISTS',
      detail: 'attempted to create a resource that already exists',
    })
    assert.throws(() => catalog.createDatabase('_alpha'), {
      code: 'ERR_INVALID_NAME',
      detail: 'db name did not start with a number or letter',
    })
    assert.deepEqual(names(catalog), ['_internal', 'alpha'])
  })

  it('soft-deletes by renaming to `<name>-YYYYMMDDTHHMMSS` and frees the name at once', () => {
    const catalog = openCatalog()
    catalog.createDatabase('alpha')
    const hardDeleteAt = new Date('2026-03-04T10:00:00Z')

    const deleted = catalog.softDeleteDatabase('alpha', hardDeleteAt)

    assert.equal(deleted.name, 'alpha-20260301T100000')
    assert.deepEqual(deleted.deletedAt, clock.now())
    assert.deepEqual(deleted.hardDeleteAt, hardDeleteAt)
    assert.equal(catalog.findDatabase('alpha'), undefined)
    assert.deepEqual(names(catalog), ['_internal'])
    assert.deepEqual(names(catalog, true), ['_internal', 'alpha-20260301T100000'])

    const again = catalog.createDatabase('alpha')
    assert.notEqual(again.id, deleted.id)
  })

  it('refuses to delete `_internal` or an unknown database', () => {
    const catalog = openCatalog()

    assert.throws(() => catalog.softDeleteDatabase('_internal', undefined), {
      code: 'ERR_INTERNAL_DATABASE',
      detail: 'cannot delete internal db',
    })
    assert.throws(() => catalog.softDeleteDatabase('ghost', undefined), {
      code: 'ERR_DATABASE_NOT_FOUND',
      detail: 'ghost',
    })
  })

  it('counts neither `_internal` nor deleted databases against the database limit', () => {
    const catalog = openCatalog({ ...defaultCatalogLimits, maxDatabases: 2 })
    catalog.createDatabase('a')
    catalog.createDatabase('b')

    assert.throws(() => catalog.createDatabase('c'), {
      code: 'ERR_LIMIT_EXCEEDED',
      detail: 'Adding a new database would exceed limit of 2 databases',
    })

    catalog.softDeleteDatabase('a', undefined)
    assert.equal(catalog.createDatabase('c').name, 'c')
  })

  it('counts tables of active databases only', () => {
    const catalog = openCatalog()
    const alpha = catalog.createDatabase('alpha')
    const bravo = catalog.createDatabase('bravo')
    catalog.createTable(alpha.id, 'cpu', [{ name: 'time', type: 'time' }])
    catalog.createTable(bravo.id, 'cpu', [{ name: 'time', type: 'time' }])
    catalog.createTable(bravo.id, 'mem', [{ name: 'time', type: 'time' }])

    assert.equal(catalog.tableCount(), 3)
    catalog.softDeleteDatabase('bravo', undefined)
    assert.equal(catalog.tableCount(), 1)
  })

  it('sets and clears retention, and keeps it across a reopen', () => {
    const first = openCatalog()
    first.createDatabase('alpha')
    first.createDatabase('bravo', sevenDays)
    first.setRetention('alpha', 3_600_000_000_000n)
    first.setRetention('bravo', undefined)
    first.close()
    open = []

    const second = openCatalog()
    assert.equal(second.findDatabase('alpha')?.retentionNanos, 3_600_000_000_000n)
    assert.equal(second.findDatabase('bravo')?.retentionNanos, undefined)
    assert.throws(() => second.setRetention('ghost', undefined), {
      code: 'ERR_DATABASE_NOT_FOUND',
    })
  })

  it('keeps deleted databases, their times and `_internal` once across a reopen', () => {
    const first = openCatalog()
    first.createDatabase('alpha')
    first.softDeleteDatabase('alpha', new Date('2026-03-04T10:00:00Z'))
    first.createDatabase('alpha')
    first.close()
    open = []

    const second = openCatalog()
    const all = second.listDatabases({ includeDeleted: true })
    assert.deepEqual(
      all.map((db) => db.name),
      ['_internal', 'alpha', 'alpha-20260301T100000'],
    )
    const deleted = all[2]
    assert.equal(deleted?.deletedAt?.toISOString(), '2026-03-01T10:00:00.123Z')
    assert.equal(deleted.hardDeleteAt?.toISOString(), '2026-03-04T10:00:00.000Z')
    assert.equal(second.findDatabase('alpha')?.deletedAt, undefined)
  })

  it('offers deleted databases for purge once their hard-delete time has come', () => {
    const catalog = openCatalog()
    catalog.createDatabase('soon')
    catalog.createDatabase('never')
    const soon = catalog.softDeleteDatabase('soon', new Date('2026-03-01T10:01:00Z'))
    catalog.softDeleteDatabase('never', undefined)

    assert.deepEqual(catalog.databasesDueForPurge(), [])
    clock.advance({ seconds: 60 })
    assert.deepEqual(
      catalog.databasesDueForPurge().map((db) => db.id),
      [soon.id],
    )

    catalog.purgeDatabase(soon.id)
    assert.deepEqual(catalog.databasesDueForPurge(), [])
    assert.deepEqual(names(catalog, true), ['_internal', 'never-20260301T100000'])
  })
})
