import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { DuckDBInstance } from '@duckdb/node-api'
import type { DuckDBConnection } from '@duckdb/node-api'

import type { SystemTable } from '../system-table.js'
import { writeSystemTable } from './system-table-writer.js'

const columns: SystemTable['columns'] = [
  { name: 'id', type: 'UBIGINT' },
  { name: 'time', type: 'TIMESTAMP_MS' },
  { name: 'name', type: 'VARCHAR' },
  { name: 'ok', type: 'BOOLEAN' },
]

describe('writeSystemTable', () => {
  let instance: DuckDBInstance
  let connection: DuckDBConnection

  before(async () => {
    instance = await DuckDBInstance.create(':memory:')
    connection = await instance.connect()
  })
  after(() => {
    connection.closeSync()
    instance.closeSync()
  })

  const read = async () =>
    (
      await connection.runAndReadAll(
        'SELECT id, epoch_ms(time) AS ms, name, ok FROM iox_system.audit ORDER BY id',
      )
    ).getRowObjectsJson()

  it('stores every type exactly, nulls and quotes included', async () => {
    await writeSystemTable(connection, {
      name: 'audit',
      columns,
      rows: [
        [1, new Date(1_700_000_000_123), "it's", true],
        [2 ** 53 - 1, null, null, null],
      ],
    })

    assert.deepEqual(await read(), [
      { id: '1', ms: '1700000000123', name: "it's", ok: true },
      { id: '9007199254740991', ms: null, name: null, ok: null },
    ])
  })

  it('replaces the rows a former write left, and writes more than one chunk', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [i, new Date(i), `n${i}`, i % 2 === 0])
    await writeSystemTable(connection, { name: 'audit', columns, rows })
    await writeSystemTable(connection, { name: 'audit', columns, rows: rows.slice(0, 3000) })

    const stored = await read()
    assert.equal(stored.length, 3000)
    assert.deepEqual(stored[2999], { id: '2999', ms: '2999', name: 'n2999', ok: false })
  })
})
