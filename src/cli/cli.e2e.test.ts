import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { startServer } from '../server/index.js'
import type { RunningServer } from '../server/index.js'
import { run } from './main.js'
import { memoryIo } from './memory-io.js'
import type { MemoryIoOptions } from './memory-io.js'

type CliResult = Awaited<ReturnType<typeof runAgainst>>

/** The token object of the create endpoints, as `create token --format json` prints it. */
interface TokenObject {
  id: number
  name: string
  token: string
  hash: string
  created_at: string
  expiry: string | null
}

/** Runs the command line against `url`, as `token` unless the options' environment says so. */
async function runAgainst(url: string, token: string, argv: string[], options: MemoryIoOptions) {
  const env = { INFLUXDB3_HOST_URL: url, INFLUXDB3_AUTH_TOKEN: token, ...options.env }
  const mem = memoryIo({ ...options, env })
  const code = await run(argv, mem.io)
  return { code, stdout: mem.stdout(), stderr: mem.stderr(), bytes: mem.stdoutBytes() }
}

function startTestServer(nodeId: string, adminTokenFile?: string): Promise<RunningServer> {
  return startServer({
    httpBind: '127.0.0.1:0',
    objectStore: 'memory',
    nodeId,
    logFilter: 'silent',
    adminTokenFile,
  })
}

describe('influxdb3 against a running server', () => {
  let server: RunningServer
  let dir = ''
  let adminToken = ''
  let bootstrap: CliResult
  before(async () => {
    server = await startTestServer('cli-e2e')
    dir = await mkdtemp(join(tmpdir(), 'fluxgate-cli-'))
    bootstrap = await runAgainst(server.url, '', ['create', 'token', '--admin'], {})
    adminToken = /^Token: (apiv3_\S+)$/m.exec(bootstrap.stdout)?.[1] ?? ''
  })
  after(async () => {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** Runs the command line as the operator token, unless `options.env` names another. */
  function cli(argv: string[], options: MemoryIoOptions = {}) {
    return runAgainst(server.url, adminToken, argv, options)
  }

  /** Creates a token with `--format json` and returns the server's token object. */
  async function issue(argv: string[]): Promise<TokenObject> {
    const result = await cli(['create', 'token', ...argv, '--format', 'json'])
    assert.equal(result.code, 0, result.stderr)
    return JSON.parse(result.stdout) as TokenObject
  }

  function as(token: string): MemoryIoOptions {
    return { env: { INFLUXDB3_AUTH_TOKEN: token } }
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

  describe('tokens', () => {
    it('creates the operator token once, printing it only on stdout', () => {
      assert.equal(bootstrap.code, 0, bootstrap.stderr)
      assert.match(adminToken, /^apiv3_[A-Za-z0-9_-]{86}$/)
      assert.equal(
        bootstrap.stdout,
        [
          '',
          'New token created successfully!',
          '',
          `Token: ${adminToken}`,
          `HTTP Requests Header: Authorization: Bearer ${adminToken}`,
          '',
          'IMPORTANT: Store this token securely, as it will not be shown again.',
          '',
        ].join('\n'),
      )
      assert.equal(bootstrap.stderr, '')
    })

    it('exits 1 with the server message when the operator token exists', async () => {
      const again = await cli(['create', 'token', '--admin'])

      assert.equal(again.code, 1)
      assert.equal(again.stderr, 'error: token name already exists, _admin (HTTP 409)\n')
      assert.equal(again.stdout, '')
    })

    it('refuses other commands without a token', async () => {
      const result = await cli(['show', 'databases'], as(''))

      assert.equal(result.code, 1)
      assert.equal(result.stderr, 'error: the request was not authenticated (HTTP 401)\n')
    })

    // The server's expiry check runs on a frozen clock in the auth tests; here the point is that
    // the CLI asks for the right expiry and the token works as an admin token.
    it('creates a named admin token with the asked expiry', async () => {
      const named = await issue(['--admin', '--name', 'e2e_named', '--expiry', '1h'])
      const used = await cli(['create', 'database', 'e2e_by_named'], as(named.token))

      assert.equal(named.name, 'e2e_named')
      assert.match(named.hash, /^[0-9a-f]{128}$/)
      assert.equal(Date.parse(String(named.expiry)) - Date.parse(named.created_at), 3_600_000)
      assert.equal(used.code, 0, used.stderr)
    })

    it('creates a resource token that writes to its database and nowhere else', async () => {
      await cli(['create', 'database', 'e2e_res_a'])
      await cli(['create', 'database', 'e2e_res_b'])
      const writer = await issue(['--permission', 'db:e2e_res_a:write', '--name', 'e2e_writer'])
      const allowed = await cli(['write', '-d', 'e2e_res_a', 'cpu v=1'], as(writer.token))
      const denied = await cli(['write', '-d', 'e2e_res_b', 'cpu v=1'], as(writer.token))
      const listing = await cli(['show', 'tokens'], as(writer.token))

      assert.equal(allowed.code, 0, allowed.stderr)
      assert.equal(denied.code, 1)
      assert.equal(
        denied.stderr,
        'error: unauthorized to perform requested action with the token (HTTP 403)\n',
      )
      assert.equal(listing.code, 1)
      assert.match(listing.stderr, /\(HTTP 403\)/)
    })

    it('sends several --permission flags as one structured list', async () => {
      const argv = ['--permission', 'db:e2e_res_a,e2e_res_b:read', '--permission', 'system:*:read']
      await issue([...argv, '--name', 'e2e_reader'])
      const listed = await cli(['show', 'tokens', '--format', 'json'])

      const rows = JSON.parse(listed.stdout) as Record<string, unknown>[]
      const reader = rows.find((row) => row.name === 'e2e_reader')
      assert.deepEqual(JSON.parse(String(reader?.permissions)), [
        'db:e2e_res_a,e2e_res_b:read',
        'system:*:read',
      ])
    })

    it('deletes a token, which then stops working', async () => {
      const doomed = await issue(['--admin', '--name', 'e2e_doomed'])
      const deleted = await cli(['delete', 'token', '--token-name', 'e2e_doomed', '--yes'])
      const used = await cli(['show', 'databases'], as(doomed.token))
      const again = await cli(['delete', 'token', '--token-name', 'e2e_doomed', '-y'])

      assert.equal(deleted.code, 0, deleted.stderr)
      assert.equal(deleted.stdout, 'Token "e2e_doomed" deleted successfully\n')
      assert.equal(used.code, 1)
      assert.match(used.stderr, /\(HTTP 401\)/)
      assert.equal(again.code, 1)
      assert.match(again.stderr, /not found: e2e_doomed \(HTTP 404\)/)
    })

    it('refuses to delete the operator token without asking the server', async () => {
      const result = await cli(['delete', 'token', '--token-name', '_admin', '--yes'])
      const still = await cli(['show', 'databases'])

      assert.equal(result.code, 1)
      assert.match(result.stderr, /^error: The operator token "_admin" is required/)
      assert.doesNotMatch(result.stderr, /cannot delete operator token/)
      assert.equal(still.code, 0)
    })

    it('lists names and 9-character hash prefixes, never a token', async () => {
      const shown = await issue(['--admin', '--name', 'e2e_listed'])
      const json = await cli(['show', 'tokens', '--format', 'json'])
      const pretty = await cli(['show', 'tokens'])

      const rows = JSON.parse(json.stdout) as Record<string, unknown>[]
      const names = rows.map((row) => row.name)
      assert.ok(names.includes('_admin') && names.includes('e2e_listed'))
      for (const row of rows) assert.match(String(row.hash), /^[0-9a-f]{9}$/)
      assert.equal(rows.find((row) => row.name === 'e2e_listed')?.hash, shown.hash.slice(0, 9))
      for (const output of [json.stdout, pretty.stdout]) {
        assert.ok(!output.includes('apiv3_'))
        assert.ok(!output.includes(shown.hash))
      }
      assert.match(pretty.stdout, /\| token_id \| name/)
    })
  })

  describe('an offline admin token file', () => {
    let fileServer: RunningServer
    let fileToken = ''
    let saved: CliResult
    let path = ''
    before(async () => {
      path = join(dir, 'admin-token.json')
      const argv = ['create', 'token', '--admin', '--offline', '--output-file', path]
      saved = await runAgainst('', '', argv, {})
      fileToken = (JSON.parse(await readFile(path, 'utf8')) as { token: string }).token
      fileServer = await startTestServer('cli-e2e-file', path)
    })
    after(() => fileServer.close())

    function cliFile(argv: string[], token: string) {
      return runAgainst(fileServer.url, token, argv, {})
    }

    it('is written with mode 0600 and its token is the server operator token', async () => {
      const created = await cliFile(['create', 'database', 'e2e_file'], fileToken)
      const listed = await cliFile(['show', 'tokens', '--format', 'json'], fileToken)

      assert.equal(saved.stdout, `Token saved to: ${path}\n`)
      assert.equal((await stat(path)).mode & 0o777, 0o600)
      assert.equal(created.code, 0, created.stderr)
      assert.deepEqual(
        (JSON.parse(listed.stdout) as { name: string }[]).map((row) => row.name),
        ['_admin'],
      )
    })

    it('regenerates the operator token: the old one fails, the new one works', async () => {
      const argv = ['create', 'token', '--admin', '--regenerate', '--yes', '--format', 'json']
      const regenerated = await cliFile(argv, fileToken)
      const fresh = (JSON.parse(regenerated.stdout) as { token: string }).token
      const old = await cliFile(['show', 'databases'], fileToken)
      const renewed = await cliFile(['show', 'databases'], fresh)

      assert.equal(regenerated.code, 0, regenerated.stderr)
      assert.notEqual(fresh, fileToken)
      assert.equal(old.code, 1)
      assert.equal(old.stderr, 'error: the request was not authenticated (HTTP 401)\n')
      assert.equal(renewed.code, 0, renewed.stderr)
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
