import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { run } from '../main.js'
import { memoryIo } from '../memory-io.js'
import type { MemoryIoOptions } from '../memory-io.js'

/** A URL on which nothing listens: a port taken from the OS and given back. */
async function closedPortUrl(): Promise<string> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return `http://127.0.0.1:${port}`
}

let nowhere = ''
let dir = ''
before(async () => {
  nowhere = await closedPortUrl()
  dir = await mkdtemp(join(tmpdir(), 'fluxgate-token-'))
})
after(() => rm(dir, { recursive: true, force: true }))

async function createToken(argv: string[], options: MemoryIoOptions = {}) {
  const mem = memoryIo({
    ...options,
    env: { HOME: dir, INFLUXDB3_HOST_URL: nowhere, ...options.env },
  })
  const code = await run(['create', 'token', ...argv], mem.io)
  return { code, stdout: mem.stdout(), stderr: mem.stderr() }
}

describe('create token: flags', () => {
  it('exits 2 asking for --admin when no mode is given', async () => {
    for (const argv of [[], ['--name', 'x']]) {
      const result = await createToken(argv)

      assert.equal(result.code, 2)
      assert.equal(
        result.stderr,
        'error: Missing required subcommand. Use: influxdb3 create token --admin [OPTIONS]\n',
      )
    }
  })

  it('exits 2 for --regenerate with --name, in the reference words', async () => {
    const result = await createToken(['--admin', '--regenerate', '--name', 'x', '--yes'])

    assert.equal(result.code, 2)
    assert.equal(
      result.stderr,
      'error: --regenerate cannot be used with --name, ' +
        '--regenerate only applies for operator token\n',
    )
  })

  it('exits 2 for flags that do not go together', async () => {
    const cases: [string[], RegExp][] = [
      [['--admin', '--permission', 'db:a:read', '--name', 'x'], /cannot be used together/],
      [['--admin', '--offline'], /--offline requires --output-file <FILE>/],
      [['--admin', '--output-file', 'f.json'], /--output-file only applies with --offline/],
      [['--admin', '--expiry', '1d'], /--expiry needs --name: the operator token never expires/],
      [['--admin', '--regenerate', '--offline', '--output-file', 'f'], /with --offline/],
      [['--permission', 'db:a:read'], /--permission requires --name <NAME>/],
      [['--permission', 'db:a:read', '--name', 'x', '--regenerate'], /only applies with --admin/],
      [['--admin', '--name', ''], /--name cannot be empty/],
    ]
    for (const [argv, message] of cases) {
      const result = await createToken(argv)

      assert.equal(result.code, 2, argv.join(' '))
      assert.match(result.stderr, message)
    }
  })

  it('exits 2 for a malformed --permission or --expiry, saying what is wrong', async () => {
    const permission = await createToken(['--permission', 'db:a', '--name', 'x'])
    const expiry = await createToken(['--admin', '--name', 'x', '--expiry', '10q'])

    assert.equal(permission.code, 2)
    assert.match(permission.stderr, /expected RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS/)
    assert.equal(expiry.code, 2)
    assert.match(expiry.stderr, /unknown unit "q"/)
  })

  it('exits 2 for a named admin or resource token without a token or a session', async () => {
    const named = await createToken(['--admin', '--name', 'x'])
    const resource = await createToken(['--permission', 'db:a:read', '--name', 'x'])

    assert.equal(named.code, 2)
    assert.match(named.stderr, /needs a credential: pass --token, set INFLUXDB3_AUTH_TOKEN/)
    assert.equal(resource.code, 2)
  })

  it('never repeats a token typed into the wrong flag', async () => {
    const token = `apiv3_${'x'.repeat(86)}`
    const result = await createToken(['--admin', '--format', token])

    assert.equal(result.code, 2)
    assert.ok(!result.stderr.includes(token))
    assert.match(result.stderr, /apiv3_…/)
  })
})

describe('create token --admin --regenerate: confirmation', () => {
  it('exits 2 without --yes when stdin is not a terminal', async () => {
    const result = await createToken(['--admin', '--regenerate'])

    assert.equal(result.code, 2)
    assert.match(result.stderr, /refusing to regenerate the operator token without confirmation/)
  })

  it('asks on a terminal and stops, exit 1, unless the answer is yes', async () => {
    const result = await createToken(['--admin', '--regenerate'], {
      stdin: 'no\n',
      stdinIsTTY: true,
    })

    assert.equal(result.code, 1)
    assert.ok(
      result.stderr.startsWith(
        "Are you sure you want to regenerate admin token? Enter 'yes' to confirm\n",
      ),
    )
    assert.match(result.stderr, /cannot regenerate the operator token without confirmation/)
  })

  it('goes ahead on a terminal when the answer is yes', async () => {
    const result = await createToken(['--admin', '--regenerate'], {
      stdin: 'yes\n',
      stdinIsTTY: true,
    })

    assert.equal(result.code, 1)
    assert.match(result.stderr, /cannot reach the server/)
  })
})

describe('create token --admin --offline', () => {
  it('writes the operator token file with mode 0600 and prints only where it went', async () => {
    const path = join(dir, 'admin.json')
    const result = await createToken(['--admin', '--offline', '--output-file', path])

    const file = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, `Token saved to: ${path}\n`)
    assert.equal((await stat(path)).mode & 0o777, 0o600)
    assert.deepEqual(Object.keys(file), ['token', 'name'])
    assert.equal(file.name, '_admin')
    assert.match(String(file.token), /^apiv3_[A-Za-z0-9_-]{86}$/)
    assert.ok(!result.stdout.includes(String(file.token)))
  })

  it('writes a named token with its expiry in milliseconds', async () => {
    const path = join(dir, 'named.json')
    const before = Date.now()
    const argv = ['--admin', '--name', 'deploy', '--expiry', '1h', '--offline']
    const result = await createToken([...argv, '--output-file', path, '--format', 'json'])

    const file = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    const printed = JSON.parse(result.stdout) as Record<string, unknown>
    const expiry = Number(file.expiry_millis)
    assert.equal(file.name, 'deploy')
    assert.ok(expiry >= before + 3_600_000 && expiry <= Date.now() + 3_600_000)
    assert.deepEqual(printed, {
      name: 'deploy',
      expiry: new Date(expiry).toISOString(),
      output_file: path,
    })
  })

  it('replaces an existing file whole and leaves no temporary file behind', async () => {
    const sub = await mkdtemp(join(dir, 'replace-'))
    const path = join(sub, 'admin.json')
    await writeFile(path, 'old', { mode: 0o644 })

    const result = await createToken(['--admin', '--offline', '--output-file', path])

    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(await readdir(sub), ['admin.json'])
    assert.equal((await stat(path)).mode & 0o777, 0o600)
    assert.match(await readFile(path, 'utf8'), /"token": "apiv3_/)
  })

  it('exits 1 naming the file when it cannot be written', async () => {
    const path = join(dir, 'missing-dir', 'admin.json')
    const result = await createToken(['--admin', '--offline', '--output-file', path])

    assert.equal(result.code, 1)
    assert.match(result.stderr, /^error: cannot write the token file .*missing-dir/)
    assert.equal(result.stdout, '')
  })
})
