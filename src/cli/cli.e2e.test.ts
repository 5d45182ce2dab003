import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { startServer } from '../server/index.js'
import type { RunningServer } from '../server/index.js'
import { run } from './main.js'
import { memoryIo } from './memory-io.js'
import type { MemoryIoOptions } from './memory-io.js'

describe('influxdb3 against a running server', () => {
  let server: RunningServer
  let dir = ''
  before(async () => {
    server = await startServer({
      httpBind: '127.0.0.1:0',
      objectStore: 'memory',
      nodeId: 'cli-e2e',
      withoutAuth: true,
      logFilter: 'silent',
    })
    dir = await mkdtemp(join(tmpdir(), 'fluxgate-cli-'))
  })
  after(async () => {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  })

  async function cli(argv: string[], options: MemoryIoOptions = {}) {
    const mem = memoryIo({ ...options, env: { INFLUXDB3_HOST_URL: server.url, ...options.env } })
    const code = await run(argv, mem.io)
    return { code, stdout: mem.stdout(), stderr: mem.stderr(), bytes: mem.stdoutBytes() }
  }

  async function count(database: string, table: string): Promise<unknown> {
    const result = await cli([
      'query',
      '-d',
      database,
      '--format',
      'json',
      `SELECT count(*) AS n FROM ${table}`,
    ])
    assert.equal(result.code, 0, result.stderr)
    return (JSON.parse(result.stdout) as { n: unknown }[])[0]?.n
  }

  describe('databases', () => {
    it('creates a database, refuses a duplicate, lists and deletes it', async () => {
      const created = await cli(['create', 'database', 'e2e_dbs', '--retention-period', '30d'])
      const duplicate = await cli(['create', 'database', 'e2e_dbs'])
      const listed = await cli(['show', 'databases', '--format', 'json'])
      const deleted = await cli(['delete', 'database', 'e2e_dbs', '--yes'])
      const after = await cli(['show', 'databases', '--format', 'jsonl'])

      assert.equal(created.code, 0, created.stderr)
      assert.equal(created.stdout, 'Database "e2e_dbs" created successfully\n')
      assert.equal(duplicate.code, 1)
      assert.match(duplicate.stderr, /^error: .*already exists.*\(HTTP 409\)\n$/)
      assert.ok((JSON.parse(listed.stdout) as unknown[]).some((row) => equalsName(row, 'e2e_dbs')))
      assert.equal(deleted.stdout, 'Database "e2e_dbs" deleted successfully\n')
      assert.ok(!after.stdout.includes('"e2e_dbs"'))
    })

    it('lists deleted databases with --show-deleted', async () => {
      await cli(['create', 'database', 'e2e_gone'])
      await cli(['delete', 'database', 'e2e_gone', '-y', '--hard-delete', 'never'])
      const listed = await cli(['show', 'databases', '--show-deleted', '--format', 'json'])

      const rows = JSON.parse(listed.stdout) as Record<string, unknown>[]
      assert.ok(rows.some((row) => row.deleted === true))
    })

    it('prints the pretty table with a final newline, and csv as sent', async () => {
      const pretty = await cli(['show', 'databases'])
      const csv = await cli(['show', 'databases', '--format', 'csv'])

      assert.match(pretty.stdout, /^\+-+\+\n\| iox::database/)
      assert.ok(pretty.stdout.endsWith('+\n'))
      assert.match(csv.stdout, /^iox::database\n_internal\n/)
    })

    it('exits 1 with the server message when deleting an unknown database', async () => {
      const result = await cli(['delete', 'database', 'e2e_never_made', '-y'])

      assert.equal(result.code, 1)
      assert.match(result.stderr, /^error: .*e2e_never_made.*\(HTTP 404\)/)
    })
  })

  describe('tables', () => {
    it('creates a table with tags and fields, then deletes it', async () => {
      await cli(['create', 'database', 'e2e_tables'])
      const argv = ['--tags', 'host,region', '--fields', 'usage:float64,count:int64,ok:bool']
      const created = await cli(['create', 'table', 'cpu', '-d', 'e2e_tables', ...argv])
      const queried = await cli([
        'query',
        '-d',
        'e2e_tables',
        '--format',
        'json',
        'SELECT * FROM cpu',
      ])
      const deleted = await cli(['delete', 'table', 'cpu', '-d', 'e2e_tables', '-y'])
      const again = await cli(['delete', 'table', 'cpu', '-d', 'e2e_tables', '-y'])

      assert.equal(created.stdout, 'Table "e2e_tables"."cpu" created successfully\n')
      assert.equal(queried.code, 0, queried.stderr)
      assert.deepEqual(JSON.parse(queried.stdout), [])
      assert.equal(deleted.stdout, 'Table "e2e_tables"."cpu" deleted successfully\n')
      assert.equal(again.code, 1)
    })
  })

  describe('write and query', () => {
    const line = 'cpu,host=a usage=0.5 1700000000'
    before(async () => {
      const result = await cli(['write', '-d', 'e2e_q', '-p', 's', line])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout, 'success\n')
    })

    it('returns json and jsonl rows', async () => {
      const json = await cli(['query', '-d', 'e2e_q', '--format', 'json', 'SELECT * FROM cpu'])
      const jsonl = await cli(['q', '-d', 'e2e_q', '--format', 'jsonl', 'SELECT * FROM cpu'])

      const rows = JSON.parse(json.stdout) as Record<string, unknown>[]
      assert.equal(rows.length, 1)
      assert.equal(rows[0]?.host, 'a')
      assert.equal(rows[0]?.usage, 0.5)
      assert.ok(json.stdout.endsWith(']\n'))
      const lines = jsonl.stdout.trimEnd().split('\n')
      assert.deepEqual(
        lines.map((text): unknown => JSON.parse(text)),
        rows,
      )
    })

    it('returns csv with a header and pretty as a table', async () => {
      const csv = await cli([
        'query',
        '-d',
        'e2e_q',
        '--format',
        'csv',
        'SELECT host, usage FROM cpu',
      ])
      const pretty = await cli(['query', '-d', 'e2e_q', 'SELECT host, usage FROM cpu'])

      assert.equal(csv.stdout, 'host,usage\na,0.5\n')
      assert.match(pretty.stdout, /\| host \| usage \|/)
      assert.ok(pretty.stdout.endsWith('+\n'))
    })

    it('writes parquet to a file with -o, or down a pipe', async () => {
      const path = join(dir, 'cpu.parquet')
      const toFile = await cli([
        'query',
        '-d',
        'e2e_q',
        '--format',
        'parquet',
        '-o',
        path,
        'SELECT * FROM cpu',
      ])
      const toPipe = await cli(['query', '-d', 'e2e_q', '--format', 'parquet', 'SELECT * FROM cpu'])

      assert.equal(toFile.code, 0, toFile.stderr)
      assert.equal(toFile.stdout, '')
      assert.equal((await readFile(path)).subarray(0, 4).toString(), 'PAR1')
      assert.equal(toPipe.bytes.subarray(0, 4).toString(), 'PAR1')
      assert.equal(toPipe.bytes.at(-1), 'PAR1'.charCodeAt(3))
    })

    it('reads the query from --file and the database from the environment', async () => {
      const path = join(dir, 'query.sql')
      await writeFile(path, 'SELECT usage FROM cpu')
      const env = { INFLUXDB3_DATABASE_NAME: 'e2e_q' }
      const result = await cli(['query', '-f', path, '--format', 'jsonl'], { env })

      assert.equal(result.stdout, '{"usage":0.5}\n')
    })

    it('exits 1 with the server message for an unknown database or bad SQL', async () => {
      const unknown = await cli(['query', '-d', 'e2e_nowhere', 'SELECT 1'])
      const bad = await cli(['query', '-d', 'e2e_q', 'SELEKT nonsense'])

      assert.equal(unknown.code, 1)
      assert.match(unknown.stderr, /^error: .*not found.*\(HTTP 404\)\n$/)
      assert.equal(bad.code, 1)
      assert.match(bad.stderr, /\(HTTP 400\)/)
      assert.equal(bad.stdout, '')
    })
  })

  describe('write input', () => {
    it('splits stdin into requests of --max-request-size and writes every line', async () => {
      const lines = Array.from(
        { length: 2000 },
        (_, i) => `split,host=h${i % 7} v=${i}i ${i + 1}\n`,
      )
      const argv = ['write', '-d', 'e2e_split', '-p', 's', '--max-request-size', '4KiB']
      const result = await cli(argv, { stdin: lines.join('') })

      assert.equal(result.code, 0, result.stderr)
      assert.equal(await count('e2e_split', 'split'), 2000)
    })

    it('writes a file with --gzip, --no-sync and --accept-partial', async () => {
      const path = join(dir, 'zipped.lp')
      await writeFile(path, Array.from({ length: 300 }, (_, i) => `zip v=${i} ${i + 1}\n`).join(''))
      const argv = ['write', '-d', 'e2e_zip', '-p', 's', '-f', path, '--gzip', '--no-sync']
      const result = await cli([...argv, '--accept-partial', '--quiet'])

      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout, '')
      assert.equal(await count('e2e_zip', 'zip'), 300)
    })

    it('writes every valid line and numbers rejected ones from the top', async () => {
      const good = Array.from({ length: 40 }, (_, i) => `bad v=${i} ${i + 1}\n`)
      const input = [...good.slice(0, 30), 'bad v= 31\n', ...good.slice(30)].join('')
      const argv = ['write', '-d', 'e2e_bad', '-p', 's', '--max-request-size', '100']
      const result = await cli(argv, { stdin: input })

      assert.equal(result.code, 1)
      assert.match(result.stderr, /^error: partial write of line protocol occurred \(HTTP 400\)\n/)
      assert.match(result.stderr, /\n {2}line 31: .*: bad v= 31\n$/)
      assert.equal(await count('e2e_bad', 'bad'), 40)
    })

    it('exits 1 with the server message for empty input', async () => {
      const result = await cli(['write', '-d', 'e2e_empty'], { stdin: '\n# nothing\n' })

      assert.equal(result.code, 1)
      assert.match(result.stderr, /incoming write was empty/)
    })
  })
})

function equalsName(row: unknown, name: string): boolean {
  return (
    typeof row === 'object' &&
    row !== null &&
    'iox::database' in row &&
    row['iox::database'] === name
  )
}
