import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { DuckDBInstance } from '@duckdb/node-api'

import { isFluxgateError } from '../errors/index.js'
import { cpuColumns, cpuRow, fileEngine } from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import type { DatabaseStorage } from './storage-engine.js'

describe('Parquet export', () => {
  let fixture: TestEngine
  let db: DatabaseStorage
  let reader: DuckDBInstance

  // Reads exported bytes back with a plain, unsandboxed DuckDB.
  async function parquetRows(bytes: Uint8Array): Promise<unknown[]> {
    const file = join(fixture.dir, 'check.parquet')
    await writeFile(file, bytes)
    const connection = await reader.connect()
    try {
      const result = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)
      return result.getRowObjectsJson()
    } finally {
      connection.closeSync()
      await rm(file)
    }
  }

  before(async () => {
    fixture = await fileEngine()
    reader = await DuckDBInstance.create(':memory:')
    db = await fixture.engine.open('db')
    await db.ensureColumns('cpu', cpuColumns)
    await db.write(
      [
        cpuRow(1_704_067_200_000_000_001n, { host: 'a' }, { usage: 0.5, count: 1n }),
        cpuRow(1_704_067_200_000_000_002n, { host: 'b' }, { usage: 1.5 }),
      ],
      { sync: true },
    )
  })

  after(async () => {
    reader.closeSync()
    await fixture.dispose()
  })

  it('returns the result of a query as Parquet bytes and keeps no file', async () => {
    const bytes = await db.queryParquet(
      'SELECT host, usage, time FROM cpu ORDER BY host -- note;',
      {},
    )

    assert.deepEqual(await parquetRows(bytes), [
      { host: 'a', usage: 0.5, time: '2024-01-01 00:00:00.000000001' },
      { host: 'b', usage: 1.5, time: '2024-01-01 00:00:00.000000002' },
    ])
    assert.deepEqual(await readdir(join(fixture.dir, 'db', 'scratch')), [])
  })

  it('exports SHOW, DESCRIBE and SUMMARIZE results too', async () => {
    assert.deepEqual(await parquetRows(await db.queryParquet('SHOW TABLES', {})), [{ name: 'cpu' }])
    assert.equal((await parquetRows(await db.queryParquet('DESCRIBE cpu', {}))).length, 5)
    assert.equal((await parquetRows(await db.queryParquet('SUMMARIZE cpu', {}))).length, 5)
  })

  it('AZ-9 refuses statements that are not read-only, and writes no file', async () => {
    const target = join(fixture.dir, 'escape.csv')
    const refusals: Array<[string, 'ERR_QUERY_NOT_READ_ONLY' | 'ERR_QUERY_INVALID']> = [
      ['DELETE FROM fluxgate_raw.cpu', 'ERR_QUERY_NOT_READ_ONLY'],
      [`COPY cpu TO '${target}'`, 'ERR_QUERY_NOT_READ_ONLY'],
      [`SELECT 1) TO '${target}' (FORMAT csv) --`, 'ERR_QUERY_INVALID'],
      ['EXPLAIN SELECT * FROM cpu', 'ERR_QUERY_INVALID'],
    ]

    for (const [sql, code] of refusals) {
      await assert.rejects(db.queryParquet(sql, {}), (error: unknown) =>
        isFluxgateError(error, code),
      )
    }
    const commented = await db.queryParquet(`SELECT 1 AS x -- ) TO '${target}' (FORMAT csv)`, {})
    assert.deepEqual(await parquetRows(commented), [{ x: 1 }])
    assert.equal(existsSync(target), false)
    assert.deepEqual(await readdir(join(fixture.dir, 'db', 'scratch')), [])
  })
})
