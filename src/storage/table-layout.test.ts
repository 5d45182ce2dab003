import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'

import { fileEngine, queryRows, readRows } from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import type { DatabaseStorage } from './storage-engine.js'

describe('table layout', () => {
  let fixture: TestEngine
  let db: DatabaseStorage

  beforeEach(async () => {
    fixture = await fileEngine()
    db = await fixture.engine.open('db')
  })

  afterEach(() => fixture.dispose())

  it('shows tables in iox with columns sorted by name, rows kept in fluxgate_raw', async () => {
    await db.ensureColumns('cpu', [
      { name: 'usage', type: 'float' },
      { name: 'host', type: 'tag' },
      { name: 'Zone', type: 'tag' },
    ])
    await db.ensureColumns('cpu', [{ name: 'alpha', type: 'integer' }])
    await db.write(
      [{ table: 'cpu', tags: { host: 'a' }, fields: { usage: 1, alpha: 2n }, time: 3n }],
      { sync: true },
    )

    const unqualified = await db.query('SELECT * FROM cpu', {})
    const qualified = await db.query('SELECT * FROM iox.cpu', {})
    const raw = await db.query('SELECT * FROM fluxgate_raw.cpu', {})

    assert.deepEqual(
      unqualified.columns.map((column) => column.name),
      ['Zone', 'alpha', 'host', 'time', 'usage'],
    )
    assert.deepEqual(qualified.columns, unqualified.columns)
    assert.deepEqual(
      raw.columns.map((column) => column.name),
      ['time', 'usage', 'host', 'Zone', 'alpha'],
    )
    for (const result of [unqualified, qualified, raw]) await readRows(result)
    assert.deepEqual(await queryRows(db, 'SHOW TABLES'), [{ name: 'cpu' }])
  })

  it('stores each column type as its DuckDB type', async () => {
    await db.ensureColumns('types', [
      { name: 'tag', type: 'tag' },
      { name: 'float', type: 'float' },
      { name: 'integer', type: 'integer' },
      { name: 'uinteger', type: 'uinteger' },
      { name: 'string', type: 'string' },
      { name: 'boolean', type: 'boolean' },
    ])

    const rows = await queryRows(
      db,
      `SELECT column_name AS name, data_type AS type FROM duckdb_columns()
       WHERE schema_name = 'fluxgate_raw' ORDER BY column_index`,
    )
    assert.deepEqual(rows, [
      { name: 'time', type: 'TIMESTAMP_NS' },
      { name: 'tag', type: 'VARCHAR' },
      { name: 'float', type: 'DOUBLE' },
      { name: 'integer', type: 'BIGINT' },
      { name: 'uinteger', type: 'UBIGINT' },
      { name: 'string', type: 'VARCHAR' },
      { name: 'boolean', type: 'BOOLEAN' },
    ])
  })

  it('accepts any UTF-8 table and column name, quotes and spaces included', async () => {
    const table = 'we"ird; DROP TABLE x -- tåble'
    const tag = 'a "quoted" tag'
    const field = "it's ünïcode 🚀"
    await db.ensureColumns(table, [
      { name: tag, type: 'tag' },
      { name: field, type: 'float' },
    ])
    await db.write([{ table, tags: { [tag]: 'v' }, fields: { [field]: 1.5 }, time: 1n }], {
      sync: true,
    })
    await db.write([{ table, tags: { [tag]: 'v' }, fields: { [field]: 2.5 }, time: 1n }], {
      sync: true,
    })

    const rows = await queryRows(db, `SELECT * FROM "we""ird; DROP TABLE x -- tåble"`)
    assert.deepEqual(rows, [{ [tag]: 'v', time: 1n, [field]: 2.5 }])
  })

  it('adds only the missing columns and ignores ones it already has', async () => {
    await db.ensureColumns('cpu', [{ name: 'host', type: 'tag' }])
    await db.ensureColumns('cpu', [
      { name: 'host', type: 'tag' },
      { name: 'time', type: 'time' },
      { name: 'usage', type: 'float' },
      { name: 'usage', type: 'float' },
    ])

    const result = await db.query('SELECT * FROM cpu', {})
    await readRows(result)
    assert.deepEqual(
      result.columns.map((column) => column.name),
      ['host', 'time', 'usage'],
    )
  })
})
