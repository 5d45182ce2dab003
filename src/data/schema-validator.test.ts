import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'

import { Catalog, defaultCatalogLimits, openSqliteCatalogStore } from '../catalog/index.js'
import type { CatalogLimits, DatabaseRecord } from '../catalog/index.js'
import { parseLineProtocol } from '../lineprotocol/index.js'
import { frozenClock } from '../shared/index.js'
import type { ColumnDef } from '../storage/index.js'
import type { ValidatedWrite } from './schema-validator.js'
import { validateLines } from './schema-validator.js'

const time: ColumnDef = { name: 'time', type: 'time' }

function conflict(column: string, expected: string, got: string): string {
  return `invalid column type for column '${column}', expected iox::column_type::${expected}, got iox::column_type::${got}`
}

function refusals(result: ValidatedWrite): Array<[number, string]> {
  return result.errors.map((e) => [e.lineNumber, e.message])
}

describe('validateLines', () => {
  let catalog: Catalog
  let db: DatabaseRecord

  function useCatalog(limits: CatalogLimits = defaultCatalogLimits): void {
    catalog.close()
    catalog = new Catalog(openSqliteCatalogStore(':memory:'), limits, frozenClock('2026-03-01Z'))
    db = catalog.createDatabase('metrics')
  }

  function validate(body: string, databaseId: number | undefined): ValidatedWrite {
    const parsed = parseLineProtocol(body)
    assert.deepEqual(parsed.errors, [], 'the test lines should parse')

    return validateLines(parsed.lines, catalog, databaseId, (line) => line.timestamp ?? 0n)
  }

  beforeEach(() => {
    catalog = new Catalog(
      openSqliteCatalogStore(':memory:'),
      defaultCatalogLimits,
      frozenClock('2026-03-01Z'),
    )
    db = catalog.createDatabase('metrics')
  })

  afterEach(() => catalog.close())

  it('turns accepted lines into rows and new tables with `time` as their last column', () => {
    const result = validate('cpu,host=a usage=0.5,count=3i,ok=true,note="hi" 7', db.id)

    assert.deepEqual(result.errors, [])
    assert.deepEqual(result.rows, [
      {
        table: 'cpu',
        tags: { host: 'a' },
        fields: { usage: 0.5, count: 3n, ok: true, note: 'hi' },
        time: 7n,
      },
    ])
    assert.deepEqual(result.changes.newTables.get('cpu'), [
      { name: 'host', type: 'tag' },
      { name: 'usage', type: 'float' },
      { name: 'count', type: 'integer' },
      { name: 'ok', type: 'boolean' },
      { name: 'note', type: 'string' },
      time,
    ])
  })

  it('refuses a line naming one field twice, and nothing else of the write', () => {
    const result = validate('cpu usage=0.5,usage=0.6\ncpu usage=0.7', db.id)

    assert.deepEqual(refusals(result), [
      [1, "invalid line protocol - multiple instances of 'usage' field found"],
    ])
    assert.equal(result.rows.length, 1)
  })

  it('refuses `time` and `__chunk_order` as tag or field names, in new and known tables', () => {
    catalog.createTable(db.id, 'known', [{ name: 'v', type: 'float' }, time])
    const result = validate(
      [
        'new time=1',
        'new,time=a v=1',
        'new __chunk_order=1',
        'known time=1',
        'known,time=x v=1',
      ].join('\n'),
      db.id,
    )

    assert.deepEqual(refusals(result), [
      [1, "'time' is a reserved column"],
      [2, "'time' is a reserved column"],
      [3, "'__chunk_order' is a reserved column"],
      [4, "'time' is a reserved column"],
      [5, "'time' is a reserved column"],
    ])
  })

  it('refuses a tag and a field of one line sharing a name', () => {
    const result = validate('cpu,host=a host=1i', db.id)

    assert.deepEqual(refusals(result), [[1, conflict('host', 'tag', 'field::integer')]])
  })

  it('refuses a field whose type differs from an earlier line of the same write', () => {
    const result = validate('cpu f=1i\ncpu f=1u\ncpu f=2i', db.id)

    assert.deepEqual(refusals(result), [[2, conflict('f', 'field::integer', 'field::uinteger')]])
    assert.equal(result.rows.length, 2)
  })

  it('refuses columns whose type differs from the catalog', () => {
    catalog.createTable(db.id, 'cpu', [
      { name: 'host', type: 'tag' },
      { name: 'f', type: 'integer' },
      time,
    ])
    const result = validate('cpu f=1\ncpu f=true\ncpu host=1i\ncpu,f=x v=1\ncpu,host=a f=5i', db.id)

    assert.deepEqual(refusals(result), [
      [1, conflict('f', 'field::integer', 'field::float')],
      [2, conflict('f', 'field::integer', 'field::boolean')],
      [3, conflict('host', 'tag', 'field::integer')],
      [4, conflict('f', 'field::integer', 'tag')],
    ])
    assert.deepEqual(result.changes.newColumns, new Map())
  })

  it('adds nothing to the schema from a refused line', () => {
    catalog.createTable(db.id, 'cpu', [{ name: 'f', type: 'integer' }, time])
    const result = validate(
      ['cpu extra=1i,f=1u', 'fresh a=1,time=2', 'cpu extra="s"', 'fresh a="x"'].join('\n'),
      db.id,
    )

    assert.deepEqual(
      result.errors.map((e) => e.lineNumber),
      [1, 2],
    )
    assert.deepEqual(result.changes.newColumns.get('cpu'), [{ name: 'extra', type: 'string' }])
    assert.deepEqual(result.changes.newTables.get('fresh'), [{ name: 'a', type: 'string' }, time])
  })

  it('gathers the new columns of a known table from several lines', () => {
    catalog.createTable(db.id, 'cpu', [{ name: 'f', type: 'integer' }, time])
    const result = validate('cpu,host=a f=1i\ncpu,host=b g=2\ncpu f=3i', db.id)

    assert.deepEqual(result.changes.newTables, new Map())
    assert.deepEqual(result.changes.newColumns.get('cpu'), [
      { name: 'host', type: 'tag' },
      { name: 'g', type: 'float' },
    ])
  })

  it('treats every table as new when the database does not exist yet', () => {
    catalog.createTable(db.id, 'cpu', [{ name: 'f', type: 'integer' }, time])
    const result = validate('cpu f=1', undefined)

    assert.deepEqual(result.errors, [])
    assert.deepEqual(result.changes.newTables.get('cpu'), [{ name: 'f', type: 'float' }, time])
  })

  it('refuses a table past the table limit, counting this write and other databases', () => {
    useCatalog({ ...defaultCatalogLimits, maxTables: 3 })
    const other = catalog.createDatabase('other')
    catalog.createTable(other.id, 'disk', [time])
    catalog.createTable(db.id, 'cpu', [time])
    const result = validate('mem v=1\nnet v=1\ncpu v=1\nmem w=2', db.id)

    assert.deepEqual(refusals(result), [
      [
        2,
        'Update to schema would exceed number of tables limit: attempted to create table but already have 3 table(s) (limit: 3)',
      ],
    ])
    assert.deepEqual([...result.changes.newTables.keys()], ['mem'])
  })

  it('does not count the tables of deleted databases against the table limit', () => {
    useCatalog({ ...defaultCatalogLimits, maxTables: 1 })
    const old = catalog.createDatabase('old')
    catalog.createTable(old.id, 'cpu', [time])
    catalog.softDeleteDatabase('old', undefined)

    assert.deepEqual(validate('cpu v=1', db.id).errors, [])
  })

  it('refuses a line that would pass the column limit, not counting `time`', () => {
    useCatalog({ ...defaultCatalogLimits, maxColumnsPerTable: 3 })
    catalog.createTable(db.id, 'known', [{ name: 'a', type: 'float' }, time])
    const limit = 'Update to schema would exceed number of columns per table limit of 3 columns'
    const result = validate(
      ['cpu,t=x a=1,b=2', 'cpu c=3', 'cpu a=4', 'wide a=1,b=2,c=3,d=4', 'known b=1,c=2,d=3'].join(
        '\n',
      ),
      db.id,
    )

    assert.deepEqual(refusals(result), [
      [2, limit],
      [4, limit],
      [5, limit],
    ])
    assert.deepEqual(
      result.changes.newTables.get('cpu')?.map((c) => c.name),
      ['t', 'a', 'b', 'time'],
    )
  })

  it('refuses a line with the timestamp resolver’s message', () => {
    const parsed = parseLineProtocol('cpu v=1 99\ncpu v=2 1')
    const result = validateLines(parsed.lines, catalog, db.id, (line) =>
      line.timestamp === 99n ? 'timestamp, 99, out of range for precision: Second' : 1n,
    )

    assert.deepEqual(refusals(result), [[1, 'timestamp, 99, out of range for precision: Second']])
    assert.deepEqual(
      result.rows.map((r) => r.time),
      [1n],
    )
  })

  it('still takes lines that add no column to a table already past a lowered column limit', () => {
    useCatalog({ ...defaultCatalogLimits, maxColumnsPerTable: 2 })
    catalog.createTable(db.id, 'cpu', [
      { name: 'a', type: 'float' },
      { name: 'b', type: 'float' },
      { name: 'c', type: 'float' },
      { name: 'time', type: 'time' },
    ])

    assert.deepEqual(refusals(validate('cpu a=1 1', db.id)), [])
    assert.equal(refusals(validate('cpu d=1 1', db.id)).length, 1)
  })
})
