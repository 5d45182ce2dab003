import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'

import type { AuditEntry } from './audit-record.js'
import type { AuditStore } from './audit-store.js'
import type { CatalogStore } from './catalog-store.js'
import { openSqliteCatalogStore } from './sqlite-catalog-store.js'

const login: AuditEntry = {
  time: new Date('2026-03-01T10:00:00.123Z'),
  action: 'login',
  outcome: 'success',
  actorKind: 'user',
  actorId: '7',
  actorName: 'ada',
  target: 'session:s-1',
  clientAddress: '192.0.2.7',
  detail: 'password',
}

const anonymous: AuditEntry = {
  time: new Date('2026-03-01T10:01:00.000Z'),
  action: 'login',
  outcome: 'failure',
  actorKind: 'anonymous',
  actorId: undefined,
  actorName: undefined,
  target: undefined,
  clientAddress: undefined,
  detail: undefined,
}

/** An entry for action `n`, so the order of a listing shows in its actions. */
function entry(n: number): AuditEntry {
  return { ...anonymous, action: `action-${n}`, outcome: 'denied' }
}

for (const backend of ['file', ':memory:'] as const) {
  describe(`SQLite audit store (${backend})`, () => {
    let dir: string
    let catalog: CatalogStore
    let audit: AuditStore

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'fluxgate-audit-store-'))
      catalog = openSqliteCatalogStore(backend === 'file' ? join(dir, 'catalog.db') : ':memory:')
      audit = catalog.audit()
    })

    afterEach(() => {
      catalog.close()
      rmSync(dir, { recursive: true, force: true })
    })

    it('appends entries under ascending ids and returns them as stored', () => {
      const first = audit.append(login)
      const second = audit.append(anonymous)

      assert.deepEqual(first, { ...login, id: 1 })
      assert.deepEqual(second, { ...anonymous, id: 2 })
      assert.deepEqual(audit.list({ limit: 10 }), [second, first])
    })

    it('lists at most `limit` entries, newest first', () => {
      for (let n = 1; n <= 5; n++) audit.append(entry(n))

      assert.deepEqual(
        audit.list({ limit: 3 }).map((r) => r.action),
        ['action-5', 'action-4', 'action-3'],
      )
      assert.deepEqual(audit.list({ limit: 0 }), [])
    })

    it('pages back through older entries with beforeId', () => {
      for (let n = 1; n <= 5; n++) audit.append(entry(n))

      const page1 = audit.list({ limit: 2 })
      const page2 = audit.list({ limit: 2, beforeId: page1.at(-1)?.id })
      const page3 = audit.list({ limit: 2, beforeId: page2.at(-1)?.id })

      assert.deepEqual(
        [page1, page2, page3].map((page) => page.map((r) => r.id)),
        [[5, 4], [3, 2], [1]],
      )
      assert.deepEqual(audit.list({ limit: 2, beforeId: 1 }), [])
    })

    it('refuses a limit that is not a count', () => {
      audit.append(login)

      for (const limit of [-1, 1.5, Number.NaN]) {
        assert.throws(() => audit.list({ limit }), { code: 'ERR_INTERNAL' })
      }
    })

    it('refuses an outcome outside success, failure and denied', () => {
      // @ts-expect-error: an outcome the type forbids, as untyped input could carry
      const odd: AuditEntry = { ...login, outcome: 'maybe' }

      assert.throws(() => audit.append(odd), /CHECK constraint failed/)
      assert.deepEqual(audit.list({ limit: 10 }), [])
    })
  })
}

describe('SQLite audit store across a reopen', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fluxgate-audit-store-'))
  })

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps every entry and goes on with the next id', () => {
    const path = join(dir, 'catalog.db')
    const first = openSqliteCatalogStore(path)
    const written = [first.audit().append(login), first.audit().append(anonymous)]
    first.close()

    const second = openSqliteCatalogStore(path)
    const next = second.audit().append(entry(3))
    const listed = second.audit().list({ limit: 10 })
    second.close()

    assert.equal(next.id, 3)
    assert.deepEqual(listed, [next, ...written.reverse()])
  })
})
