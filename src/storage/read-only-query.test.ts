import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { isFluxgateError } from '../errors/index.js'
import { DuckDBDatabaseStorage } from './internal/duckdb-database-storage.js'
import { QuerySession } from './internal/query-session.js'
import { cpuColumns, cpuRow, fileEngine, queryRows } from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import type { DatabaseStorage } from './storage-engine.js'

async function refused(db: DatabaseStorage, sql: string): Promise<string> {
  try {
    await queryRows(db, sql)
  } catch (error) {
    assert.ok(isFluxgateError(error, 'ERR_QUERY_NOT_READ_ONLY'), `${sql}: ${String(error)}`)
    return error.detail ?? ''
  }
  assert.fail(`expected ${sql} to be refused`)
}

describe('read-only queries', () => {
  let fixture: TestEngine
  let db: DatabaseStorage

  const snapshot = async (): Promise<unknown> => ({
    rows: await queryRows(db, 'SELECT * FROM cpu ORDER BY time'),
    tables: await queryRows(db, 'SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL'),
    views: await queryRows(
      db,
      'SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal ORDER BY ALL',
    ),
    macros: await queryRows(
      db,
      "SELECT count(*) AS n FROM duckdb_functions() WHERE schema_name = 'main' AND NOT internal",
    ),
  })

  before(async () => {
    fixture = await fileEngine()
    db = await fixture.engine.open('db')
    await db.ensureColumns('cpu', cpuColumns)
    await db.write(
      [cpuRow(1n, { host: 'a' }, { usage: 1 }), cpuRow(2n, { host: 'b' }, { usage: 2 })],
      { sync: true },
    )
  })

  after(() => fixture.dispose())

  it('AZ-9 refuses statements that write, set or run commands, and nothing changes', async () => {
    const before = await snapshot()
    const statements = [
      "INSERT INTO fluxgate_raw.cpu (time, host) VALUES (make_timestamp_ns(3), 'x')",
      'UPDATE fluxgate_raw.cpu SET usage = 0',
      'DELETE FROM fluxgate_raw.cpu',
      'DELETE FROM cpu',
      'TRUNCATE fluxgate_raw.cpu',
      'DROP VIEW cpu',
      'DROP TABLE fluxgate_raw.cpu',
      'CREATE TABLE t (x INT)',
      'CREATE TEMP TABLE t AS SELECT 1',
      'CREATE OR REPLACE MACRO now() AS 1',
      'CREATE SEQUENCE s',
      'ALTER TABLE fluxgate_raw.cpu ADD COLUMN x INT',
      'ALTER VIEW cpu RENAME TO gone',
      "COMMENT ON TABLE fluxgate_raw.cpu IS 'x'",
      'SET threads = 1',
      'CALL pragma_version()',
      'CHECKPOINT',
      'FORCE CHECKPOINT',
      'VACUUM',
      'ANALYZE',
      'PRAGMA version',
      "PRAGMA table_info('cpu')",
      'BEGIN TRANSACTION',
      'COMMIT',
      'DETACH data',
      `MERGE INTO fluxgate_raw.cpu USING (SELECT 1 AS x) s ON false
       WHEN NOT MATCHED THEN INSERT (time) VALUES (make_timestamp_ns(9))`,
      'EXPLAIN ANALYZE DELETE FROM fluxgate_raw.cpu',
      'EXPLAIN ANALYSE DELETE FROM fluxgate_raw.cpu',
      'EXPLAIN (ANALYZE) DELETE FROM fluxgate_raw.cpu',
      'EXPLAIN DELETE FROM fluxgate_raw.cpu',
      '/* SELECT */ DELETE FROM fluxgate_raw.cpu',
      '-- SELECT\nDELETE FROM fluxgate_raw.cpu',
    ]

    for (const sql of statements) await refused(db, sql)
    assert.deepEqual(await snapshot(), before)
  })

  it('runs each query in a read-only transaction, a second line behind the check', async () => {
    assert.ok(db instanceof DuckDBDatabaseStorage)
    const session = await QuerySession.start(db)
    try {
      await assert.rejects(
        session.connection.run('DELETE FROM fluxgate_raw.cpu'),
        /transaction is launched in read-only mode/,
      )
    } finally {
      session.release()
    }

    assert.equal((await queryRows(db, 'SELECT * FROM cpu')).length, 2)
  })

  it('refuses more than one statement, even when each only reads', async () => {
    const detail = await refused(db, 'SELECT 1; SELECT 2')

    assert.match(detail, /exactly one statement; found 2/)
    await refused(db, 'SELECT 1; DELETE FROM fluxgate_raw.cpu')
    assert.equal((await queryRows(db, 'SELECT * FROM cpu')).length, 2)
  })

  it('names the refused statement in the detail', async () => {
    assert.match(await refused(db, 'DELETE FROM cpu'), /got DELETE$/)
    assert.match(await refused(db, 'PRAGMA version'), /got PRAGMA$/)
    assert.match(await refused(db, 'EXPLAIN ANALYZE DELETE FROM cpu'), /got DELETE$/)
  })

  it('runs every form of SELECT, SHOW, DESCRIBE, SUMMARIZE and EXPLAIN', async () => {
    const accepted = [
      'SELECT host FROM cpu',
      '  -- leading comment\n  /* and a block */ SELECT host FROM cpu; ',
      'WITH h AS (SELECT host FROM cpu) SELECT * FROM h',
      'FROM cpu SELECT host',
      '(SELECT host FROM cpu)',
      'VALUES (1), (2)',
      'SHOW TABLES',
      'SHOW ALL TABLES',
      'DESCRIBE cpu',
      'DESCRIBE SELECT * FROM cpu',
      'SUMMARIZE cpu',
      'EXPLAIN SELECT * FROM cpu',
      'EXPLAIN ANALYZE SELECT * FROM cpu',
      'EXPLAIN (FORMAT json) SELECT * FROM cpu',
      "PIVOT cpu ON host IN ('a', 'b') USING sum(usage)",
      "SELECT * FROM query('SELECT 42 AS answer')",
    ]

    for (const sql of accepted) {
      const rows = await queryRows(db, sql)
      assert.ok(rows.length > 0, sql)
    }
  })

  it("reports SQL errors as invalid queries with DuckDB's own message", async () => {
    const cases: Array<[string, RegExp]> = [
      ['SELECT * FROM missing', /Catalog Error: Table with name missing does not exist!/],
      ['SELECT nope FROM cpu', /Binder Error: Referenced column "nope" not found/],
      ['SELEC 1', /Parser Error: syntax error at or near "SELEC"/],
      ["SELECT 'a'::INTEGER", /Conversion Error/],
      ["SELECT * FROM query('DROP TABLE fluxgate_raw.cpu')", /Parser Error/],
      ['', /no statement/],
    ]

    for (const [sql, message] of cases) {
      await assert.rejects(db.query(sql, {}), (error: unknown) => {
        assert.ok(isFluxgateError(error, 'ERR_QUERY_INVALID'), sql)
        assert.match(error.detail ?? '', message, sql)
        return true
      })
    }
  })

  it('reports an error raised while the result streams as an invalid query', async () => {
    const sql = `SELECT CASE WHEN range < 9000000 THEN range::VARCHAR ELSE 'x' END::INTEGER AS n
      FROM range(10000000)`

    await assert.rejects(
      async () => {
        const result = await db.query(sql, {})
        for await (const batch of result.batches) assert.ok(batch.rowCount > 0)
      },
      (error: unknown) =>
        isFluxgateError(error, 'ERR_QUERY_INVALID') &&
        /Could not convert string 'x'/.test(error.detail ?? ''),
    )
  })
})
