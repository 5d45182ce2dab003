import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

describe('the query sandbox', () => {
  let app: TestServer
  const secretFile = join(tmpdir(), `fluxgate-secret-${process.pid}.csv`)
  before(async () => {
    writeFileSync(secretFile, 'secret\nhunter2\n')
    app = await startTestServer({ file: true })
    assert.equal((await app.write('mine', 'm,k=a v=1 1')).status, 204)
    assert.equal((await app.write('theirs', 'private,k=b v=42 1')).status, 204)
  })
  after(() => app.close())

  const attempts = [
    `SELECT * FROM read_csv('${secretFile}')`,
    `SELECT * FROM read_text('${secretFile}')`,
    `SELECT * FROM glob('/etc/*')`,
    `SELECT * FROM read_parquet('/tmp/x.parquet')`,
    `COPY (SELECT * FROM m) TO '${tmpdir()}/stolen.csv'`,
    `EXPORT DATABASE '${tmpdir()}/exported'`,
    `ATTACH '${tmpdir()}/other.duckdb' AS other`,
    'INSTALL httpfs',
    'LOAD httpfs',
    "CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')",
    'SET enable_external_access = true',
    'RESET lock_configuration',
    'INSERT INTO m VALUES (1)',
    'DELETE FROM fluxgate_raw.m',
    'DROP VIEW m',
    'DROP TABLE fluxgate_raw.m',
    'CREATE TABLE t AS SELECT 1',
    'UPDATE fluxgate_raw.m SET v = 0',
    'CHECKPOINT',
    'SELECT 1; DELETE FROM fluxgate_raw.m',
    'EXPLAIN ANALYZE DELETE FROM fluxgate_raw.m',
    'PRAGMA database_list',
  ]

  for (const q of attempts) {
    it(`refuses ${q.slice(0, 60)} with 400 and changes nothing`, async () => {
      const res = await app.fetch(`/api/v3/query_sql?${new URLSearchParams({ db: 'mine', q })}`)
      assert.equal(res.status, 400, await res.text())
      assert.deepEqual(await app.sql('mine', 'SELECT k, v FROM m'), [{ k: 'a', v: 1 }])
    })
  }

  it('cannot see another database by any name', async () => {
    for (const q of [
      'SELECT * FROM private',
      'SELECT * FROM theirs.private',
      'SELECT * FROM db_2.private',
    ]) {
      const res = await app.fetch(`/api/v3/query_sql?${new URLSearchParams({ db: 'mine', q })}`)
      assert.equal(res.status, 400, `${q} answered ${res.status}: ${await res.text()}`)
    }

    const listed = await app.sql('mine', 'SELECT database_name, table_name FROM duckdb_tables()')
    assert.ok(!JSON.stringify(listed).includes('private'), JSON.stringify(listed))
  })
})
