import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DuckDBInstance } from '@duckdb/node-api'
import type { DuckDBConnection } from '@duckdb/node-api'
import { rewriteInfluxSql } from './influx-sql-rewriter.js'

type Row = Record<string, unknown>

// The layout of a database file: raw rows in fluxgate_raw, each column's role in its comment,
// and user tables as views in iox with their columns sorted by name.
const layoutSql = [
  'CREATE SCHEMA fluxgate_raw',
  'CREATE SCHEMA iox',
  `CREATE TABLE fluxgate_raw.cpu (time TIMESTAMP_NS NOT NULL, host VARCHAR, usage DOUBLE,
     note VARCHAR, count BIGINT, big UBIGINT, ok BOOLEAN)`,
  `COMMENT ON COLUMN fluxgate_raw.cpu.host IS 'tag'`,
  `COMMENT ON COLUMN fluxgate_raw.cpu.note IS 'string'`,
  `CREATE VIEW iox.cpu AS SELECT big, count, host, note, ok, time, usage FROM fluxgate_raw.cpu`,
  `INSERT INTO fluxgate_raw.cpu VALUES (make_timestamp_ns(0), 'a', 1.5, 'n', 1, 2, true)`,
  `CREATE TABLE fluxgate_raw."it's" (time TIMESTAMP_NS NOT NULL, region VARCHAR)`,
  `COMMENT ON COLUMN fluxgate_raw."it's".region IS 'tag'`,
  `CREATE VIEW iox."it's" AS SELECT region, time FROM fluxgate_raw."it's"`,
  `SET search_path = 'iox'`,
]

const cpuColumns = [
  ['big', 'UInt64', 'YES'],
  ['count', 'Int64', 'YES'],
  ['host', 'Dictionary(Int32, Utf8)', 'YES'],
  ['note', 'Utf8', 'YES'],
  ['ok', 'Boolean', 'YES'],
  ['time', 'Timestamp(Nanosecond, None)', 'NO'],
  ['usage', 'Float64', 'YES'],
].map(([column_name, data_type, is_nullable]) => ({
  table_catalog: 'public',
  table_schema: 'iox',
  table_name: 'cpu',
  column_name,
  data_type,
  is_nullable,
}))

let connection: DuckDBConnection

before(async () => {
  const instance = await DuckDBInstance.create(':memory:')
  connection = await instance.connect()
  for (const statement of layoutSql) await connection.run(statement)
})

after(() => connection.closeSync())

async function query(influxSql: string): Promise<Row[]> {
  const reader = await connection.runAndReadAll(rewriteInfluxSql(influxSql))
  return reader.getRowObjectsJson()
}

describe('rewriteInfluxSql leaves other SQL alone', () => {
  it('returns statements it does not rewrite byte for byte', () => {
    const untouched = [
      'SELECT * FROM cpu',
      `SELECT 'SHOW TABLES', 'information_schema.tables' AS "information_schema.columns"`,
      '/* SHOW TABLES */ SELECT 1 -- information_schema.columns',
      "SELECT $$information_schema.tables$$, E'\\' information_schema.tables'",
      'SHOW TABLES FROM iox',
      "SHOW COLUMNS FROM cpu LIKE 'h%'",
      'SELECT tables, columns FROM (SELECT 1 AS tables, 2 AS columns)',
      'SELECT x.information_schema.tables FROM y',
      'DESCRIBE cpu',
      '',
    ]

    for (const sql of untouched) assert.equal(rewriteInfluxSql(sql), sql)
  })

  it('keeps the text around a rewritten reference', () => {
    const head = `SELECT 'information_schema.tables' AS s, t.table_name -- x\nFROM `
    const sql = `${head}information_schema.tables t`

    const rewritten = rewriteInfluxSql(sql)

    assert.ok(rewritten.startsWith(`${head}(SELECT `))
    assert.ok(rewritten.endsWith(') t'))
  })
})

describe('rewriteInfluxSql for SHOW TABLES', () => {
  it('lists user tables under iox as base tables, with InfluxDB columns', async () => {
    assert.deepEqual(await query('SHOW TABLES'), [
      { table_catalog: 'public', table_schema: 'iox', table_name: 'cpu', table_type: 'BASE TABLE' },
      {
        table_catalog: 'public',
        table_schema: 'iox',
        table_name: "it's",
        table_type: 'BASE TABLE',
      },
      {
        table_catalog: 'public',
        table_schema: 'information_schema',
        table_name: 'columns',
        table_type: 'VIEW',
      },
      {
        table_catalog: 'public',
        table_schema: 'information_schema',
        table_name: 'tables',
        table_type: 'VIEW',
      },
    ])
  })

  it('accepts any case, comments and a closing semicolon', async () => {
    const rows = await query('/* list */ show\n  Tables -- all of them\n;')

    assert.equal(rows.length, 4)
    assert.ok(rows.every((row) => row.table_schema !== 'fluxgate_raw'))
  })

  it('rewrites each statement of a script on its own', () => {
    const rewritten = rewriteInfluxSql("SHOW TABLES; SELECT 'SHOW TABLES'")

    assert.ok(rewritten.startsWith('SELECT table_catalog'))
    assert.ok(rewritten.endsWith("; SELECT 'SHOW TABLES'"))
  })
})

describe('rewriteInfluxSql for SHOW COLUMNS', () => {
  it('lists columns with InfluxDB data types, tags apart from string fields', async () => {
    assert.deepEqual(await query('SHOW COLUMNS FROM cpu'), cpuColumns)
  })

  it('escapes the table name it compares with', async () => {
    assert.deepEqual(await query(`show columns in "it's"`), [
      {
        table_catalog: 'public',
        table_schema: 'iox',
        table_name: "it's",
        column_name: 'region',
        data_type: 'Dictionary(Int32, Utf8)',
        is_nullable: 'YES',
      },
      {
        table_catalog: 'public',
        table_schema: 'iox',
        table_name: "it's",
        column_name: 'time',
        data_type: 'Timestamp(Nanosecond, None)',
        is_nullable: 'NO',
      },
    ])
  })

  it('accepts qualified and quoted names in any case', async () => {
    for (const name of ['iox.cpu', '"iox"."cpu"', 'public.iox.cpu', 'CPU', 'IOX.Cpu']) {
      assert.deepEqual(await query(`SHOW COLUMNS IN ${name}`), cpuColumns, name)
    }
  })

  it('shows every information_schema column with FULL', async () => {
    const rows = await query('SHOW FULL COLUMNS FROM cpu')

    assert.deepEqual(Object.keys(rows[0] ?? {}), [
      'table_catalog',
      'table_schema',
      'table_name',
      'column_name',
      'ordinal_position',
      'column_default',
      'is_nullable',
      'data_type',
    ])
    assert.deepEqual(
      rows.map((row) => row.ordinal_position),
      [1, 2, 3, 4, 5, 6, 7],
    )
  })

  it('fails for an unknown table like any query on it', async () => {
    await assert.rejects(query('SHOW COLUMNS FROM nope'), /Table with name nope does not exist/)
  })

  it('never shows the columns of raw tables', async () => {
    assert.deepEqual(await query('SHOW COLUMNS FROM fluxgate_raw.cpu'), [])
  })
})

describe('rewriteInfluxSql for information_schema', () => {
  it('shows user tables from information_schema.tables and never the raw schema', async () => {
    const rows = await query(
      'SELECT table_schema, table_name, table_type FROM information_schema.tables',
    )

    assert.deepEqual(
      rows.filter((row) => row.table_schema === 'iox'),
      [
        { table_schema: 'iox', table_name: 'cpu', table_type: 'BASE TABLE' },
        { table_schema: 'iox', table_name: "it's", table_type: 'BASE TABLE' },
      ],
    )
    assert.ok(rows.every((row) => row.table_schema !== 'fluxgate_raw'))
  })

  it('matches the reference in any case, quoted, and under the public catalog', async () => {
    const references = [
      'INFORMATION_SCHEMA.TABLES',
      '"information_schema"."tables"',
      'Information_Schema . Tables',
      'public.information_schema.tables',
    ]

    for (const reference of references) {
      const rows = await query(`SELECT table_name FROM ${reference} WHERE table_schema = 'iox'`)
      assert.deepEqual(rows, [{ table_name: 'cpu' }, { table_name: "it's" }], reference)
    }
  })

  it('keeps the name of the view for qualified columns unless an alias follows', async () => {
    const queries = [
      `SELECT tables.table_name FROM information_schema.tables WHERE tables.table_name = 'cpu'`,
      `SELECT t.table_name FROM information_schema.tables t WHERE t.table_name = 'cpu'`,
      `SELECT t.table_name FROM information_schema.tables AS t WHERE t.table_name = 'cpu'`,
      `FROM information_schema.tables SELECT table_name WHERE table_name = 'cpu'`,
    ]

    for (const sql of queries) assert.deepEqual(await query(sql), [{ table_name: 'cpu' }], sql)
  })

  it('shows columns of user tables from information_schema.columns', async () => {
    const rows = await query(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_name = 'cpu' ORDER BY ordinal_position`,
    )

    assert.deepEqual(
      rows,
      cpuColumns.map(({ column_name, data_type }) => ({ column_name, data_type })),
    )
  })

  it('joins both views in one statement', async () => {
    const rows = await query(
      `SELECT count(*) AS n FROM information_schema.tables t
       JOIN information_schema.columns c USING (table_schema, table_name)`,
    )

    assert.deepEqual(rows, [{ n: '9' }])
  })
})
