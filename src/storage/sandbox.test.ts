import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'

import { isFluxgateError } from '../errors/index.js'
import { createStorageEngine } from './duckdb-storage-engine.js'
import type { ErrorCode } from '../errors/index.js'
import { connectSandboxed, openSandboxedInstance } from './internal/sandboxed-instance.js'
import {
  cpuColumns,
  cpuRow,
  fileEngine,
  queryRows,
  queryValue,
} from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import { prepareDatabasePaths } from './internal/storage-paths.js'
import type { DatabaseStorage } from './storage-engine.js'

async function refusal(
  db: DatabaseStorage,
  sql: string,
): Promise<{ code: ErrorCode; detail: string }> {
  try {
    await queryRows(db, sql)
  } catch (error) {
    if (!isFluxgateError(error)) throw error
    return { code: error.code, detail: error.detail ?? '' }
  }
  assert.fail(`expected ${sql} to be refused`)
}

async function rowCount(db: DatabaseStorage): Promise<unknown> {
  return await queryValue(db, 'SELECT count(*) FROM cpu')
}

describe('sandbox of a database', () => {
  let fixture: TestEngine
  let db: DatabaseStorage
  let other: DatabaseStorage
  let outside: string

  before(async () => {
    fixture = await fileEngine()
    db = await fixture.engine.open('alpha')
    other = await fixture.engine.open('beta')
    for (const database of [db, other]) await database.ensureColumns('cpu', cpuColumns)
    await db.write([cpuRow(1n, { host: 'a' }, { usage: 1 })], { sync: true })
    await other.write([cpuRow(1n, { host: 'secret' }, { usage: 99 })], { sync: true })

    outside = await mkdtemp(join(tmpdir(), 'fluxgate-outside-'))
    await writeFile(join(outside, 'plain.csv'), 'a,b\n1,2\n')
    await writeFile(join(outside, 'rows.parquet'), await other.queryParquet('FROM cpu', {}))
  })

  after(async () => {
    await fixture.dispose()
    await rm(outside, { recursive: true, force: true })
  })

  it('AZ-9 refuses to read or list any file outside its scratch folder', async () => {
    const reads = [
      `SELECT * FROM read_csv('${outside}/plain.csv')`,
      `SELECT * FROM read_text('${outside}/plain.csv')`,
      `SELECT * FROM read_blob('${outside}/plain.csv')`,
      `SELECT * FROM read_parquet('${outside}/rows.parquet')`,
      `SELECT * FROM '${outside}/rows.parquet'`,
      `SELECT * FROM glob('${outside}/*')`,
      "SELECT * FROM read_text('/etc/passwd')",
    ]

    for (const sql of reads) {
      const { code, detail } = await refusal(db, sql)
      assert.equal(code, 'ERR_QUERY_INVALID', sql)
      assert.match(detail, /Permission Error/, sql)
    }
  })

  it('AZ-9 refuses COPY TO, EXPORT DATABASE, ATTACH, INSTALL, LOAD and CREATE SECRET', async () => {
    const target = join(outside, 'written')
    const statements = [
      `COPY cpu TO '${target}.csv'`,
      `COPY (SELECT * FROM cpu) TO '${target}.parquet' (FORMAT parquet)`,
      `EXPORT DATABASE '${target}'`,
      `ATTACH '${fixture.dir}/beta/data.duckdb' AS beta`,
      "ATTACH ':memory:' AS scratch",
      'INSTALL httpfs',
      'LOAD httpfs',
      "CREATE SECRET leak (TYPE s3, KEY_ID 'k', SECRET 's')",
      "CREATE TEMPORARY SECRET leak (TYPE s3, KEY_ID 'k', SECRET 's')",
    ]

    for (const sql of statements) {
      assert.equal((await refusal(db, sql)).code, 'ERR_QUERY_NOT_READ_ONLY', sql)
    }
    for (const file of [`${target}.csv`, `${target}.parquet`, target]) {
      assert.equal(existsSync(file), false)
    }
    assert.equal(await rowCount(db), 1n)
  })

  it('AZ-9 refuses SET and RESET, and every setting keeps its value', async () => {
    const statements = [
      'SET threads = 1',
      'RESET threads',
      'SET GLOBAL enable_external_access = true',
      'SET lock_configuration = false',
      "SET TimeZone = 'Asia/Tokyo'",
      "SET search_path = 'fluxgate_raw'",
      'SET VARIABLE x = 1',
      'USE fluxgate_raw',
    ]

    for (const sql of statements) {
      assert.equal((await refusal(db, sql)).code, 'ERR_QUERY_NOT_READ_ONLY', sql)
    }
    const [settings] = await queryRows(
      db,
      `SELECT current_setting('TimeZone') AS zone, current_setting('lock_configuration') AS locked,
         current_setting('enable_external_access') AS external, current_schema() AS schema`,
    )
    assert.deepEqual(settings, { zone: 'UTC', locked: true, external: false, schema: 'iox' })
  })

  it('AZ-9 never shows one database the rows or files of another', async () => {
    assert.deepEqual(await queryRows(db, 'SELECT host FROM cpu'), [{ host: 'a' }])

    const files = [
      `SELECT * FROM read_blob('${fixture.dir}/beta/data.duckdb')`,
      `SELECT * FROM glob('${fixture.dir}/beta/scratch/*')`,
      `SELECT * FROM read_blob('${fixture.dir}/alpha/scratch/../../beta/data.duckdb')`,
    ]
    for (const sql of files) assert.match((await refusal(db, sql)).detail, /Permission Error/)

    const { detail } = await refusal(db, 'SELECT * FROM beta.iox.cpu')
    assert.match(detail, /Catalog "beta" does not exist/)
  })

  it('cannot install or load extensions on demand', async () => {
    const rows = await queryRows(
      db,
      `SELECT name, value FROM duckdb_settings()
       WHERE name IN ('autoinstall_known_extensions', 'autoload_known_extensions') ORDER BY name`,
    )

    assert.deepEqual(rows, [
      { name: 'autoinstall_known_extensions', value: 'false' },
      { name: 'autoload_known_extensions', value: 'false' },
    ])
  })
})

describe('sandbox of a database in memory mode', () => {
  it('AZ-9 denies files outside the private scratch folder and still exports Parquet', async () => {
    const engine = createStorageEngine({ mode: 'memory' })
    try {
      const db = await engine.open('mem')
      const { detail } = await refusal(db, "SELECT * FROM read_text('/etc/hostname')")

      assert.match(detail, /Permission Error/)
      assert.equal(
        Buffer.from((await db.queryParquet('SELECT 1 AS one', {})).subarray(0, 4)).toString(),
        'PAR1',
      )
    } finally {
      await engine.close()
    }
  })
})

describe('sandboxed DuckDB instance, without the read-only check in front', () => {
  let dir: string
  let instance: DuckDBInstance
  let connection: DuckDBConnection

  async function failure(sql: string): Promise<string> {
    try {
      await connection.run(sql)
    } catch (error) {
      return error instanceof Error ? error.message : String(error)
    }
    assert.fail(`expected ${sql} to fail`)
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fluxgate-sandbox-'))
    await writeFile(join(dir, 'plain.csv'), 'a\n1\n')
    instance = await openSandboxedInstance(await prepareDatabasePaths({ mode: 'file', dir }, 'db'))
    connection = await connectSandboxed(instance)
  })

  after(async () => {
    connection.closeSync()
    instance.closeSync()
    await rm(dir, { recursive: true, force: true })
  })

  it('AZ-9 still denies files, extensions and settings to any statement', async () => {
    const denied: Array<[string, RegExp]> = [
      [`SELECT * FROM read_csv('${dir}/plain.csv')`, /Permission Error/],
      [`COPY (SELECT 1) TO '${dir}/out.csv'`, /Permission Error/],
      [`COPY (SELECT 1) TO '${dir}/db/scratch/../out.csv'`, /Permission Error/],
      [`ATTACH '${dir}/other.duckdb'`, /Permission Error/],
      ['INSTALL httpfs', /Permission Error/],
      ['LOAD httpfs', /Permission Error/],
      ["CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')", /Permission Error/],
      ['SET threads = 1', /configuration has been locked/],
      ['SET GLOBAL enable_external_access = true', /configuration has been locked/],
      ['SET lock_configuration = false', /configuration has been locked/],
      ['RESET TimeZone', /configuration has been locked/],
    ]

    for (const [sql, expected] of denied) assert.match(await failure(sql), expected, sql)
    assert.equal(existsSync(join(dir, 'out.csv')), false)
  })

  it('lets DuckDB write Parquet into the scratch folder only', async () => {
    await connection.run(`COPY (SELECT 1 AS one) TO '${dir}/db/scratch/one.parquet'`)

    assert.equal(existsSync(join(dir, 'db/scratch/one.parquet')), true)
  })
})
