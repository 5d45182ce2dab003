import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { before, describe, it } from 'node:test'

import { InterruptedError } from './cli-errors.js'
import { run } from './main.js'
import { memoryIo } from './memory-io.js'
import type { MemoryIoOptions } from './memory-io.js'

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

async function runCli(argv: string[], options: MemoryIoOptions = {}) {
  const mem = memoryIo(options)
  const code = await run(argv, mem.io)
  return { code, stdout: mem.stdout(), stderr: mem.stderr() }
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2000) throw new Error('condition not met within 2 s')
    await sleep(5)
  }
}

let nowhere = ''
before(async () => {
  nowhere = await closedPortUrl()
})

describe('run: help and parse errors', () => {
  it('prints help on stdout and exits 0 for --help', async () => {
    const result = await runCli(['--help'])

    assert.equal(result.code, 0)
    assert.match(result.stdout, /^Usage: influxdb3/)
    assert.equal(result.stderr, '')
  })

  it('exits 2 with the help on stderr when no command is given', async () => {
    const result = await runCli([])

    assert.equal(result.code, 2)
    assert.match(result.stderr, /Usage: influxdb3/)
    assert.equal(result.stdout, '')
  })

  it('exits 2 for an unknown command or option, saying so on stderr', async () => {
    const command = await runCli(['wirte'])
    const option = await runCli(['write', '--nope'])

    assert.equal(command.code, 2)
    assert.match(command.stderr, /^error: unknown command 'wirte'/)
    assert.match(command.stderr, /Did you mean write\?/)
    assert.equal(option.code, 2)
    assert.match(option.stderr, /^error: unknown option '--nope'/)
  })

  it('exits 2 for a bad precision, naming the unit', async () => {
    const result = await runCli(['write', '-d', 'db', '-p', 'fake', 'cpu v=1'])

    assert.equal(result.code, 2)
    assert.match(result.stderr, /unrecognized precision unit: fake/)
  })

  it('exits 2 for a choice outside the list', async () => {
    const language = await runCli(['query', '-d', 'db', '-l', 'flux', 'x'])
    const format = await runCli(['query', '-d', 'db', '--format', 'xml', 'x'])

    assert.equal(language.code, 2)
    assert.match(language.stderr, /Allowed choices are sql, influxql/)
    assert.equal(format.code, 2)
  })

  it('exits 2 for a host that is not a URL', async () => {
    const result = await runCli(['create', 'database', 'foo', '--host', 'localhost:8181'])

    assert.equal(result.code, 2)
    assert.match(result.stderr, /^error: invalid host URL: localhost:8181/)
  })

  it('exits 2 for a table field of an unknown type', async () => {
    const argv = ['create', 'table', 't', '-d', 'db', '--tags', 'a', '--fields', 'f:double']
    const result = await runCli(argv)

    assert.equal(result.code, 2)
    assert.match(result.stderr, /invalid field "f:double"/)
  })
})

describe('run: write and query input', () => {
  it('exits 2 when no database is given by flag or environment', async () => {
    const result = await runCli(['write', 'cpu v=1', '-H', nowhere])

    assert.equal(result.code, 2)
    assert.match(result.stderr, /^error: no database given: pass -d\/--database/)
  })

  it('takes the database and host from the environment', async () => {
    const env = { INFLUXDB3_DATABASE_NAME: 'db', INFLUXDB3_HOST_URL: nowhere }
    const result = await runCli(['write', 'cpu v=1'], { env })

    assert.equal(result.code, 1)
    assert.match(result.stderr, /^error: cannot reach the server at http:\/\/127\.0\.0\.1:\d+/)
  })

  it('exits 2 when there is no line protocol and stdin is a terminal', async () => {
    const result = await runCli(['write', '-d', 'db', '-H', nowhere], { stdinIsTTY: true })

    assert.equal(result.code, 2)
    assert.match(result.stderr, /no line protocol given/)
  })

  it('exits 2 when line protocol comes both as an argument and from a file', async () => {
    const result = await runCli(['write', '-d', 'db', '-f', 'lines.lp', 'cpu v=1'])

    assert.equal(result.code, 2)
    assert.match(result.stderr, /either as an argument or with --file/)
  })

  it('exits 2 for a SQL query without a database or without a query', async () => {
    const noDatabase = await runCli(['query', 'SELECT 1', '-H', nowhere])
    const noQuery = await runCli(['query', '-d', 'db', '-H', nowhere])

    assert.equal(noDatabase.code, 2)
    assert.equal(noQuery.code, 2)
    assert.match(noQuery.stderr, /no query given/)
  })

  it('refuses to print parquet on a terminal but sends it down a pipe', async () => {
    const argv = ['query', '-d', 'db', '--format', 'parquet', 'SELECT 1', '-H', nowhere]
    const terminal = await runCli(argv, { stdoutIsTTY: true })
    const pipe = await runCli(argv, { stdoutIsTTY: false })

    assert.equal(terminal.code, 2)
    assert.match(terminal.stderr, /pass -o\/--output <FILE>/)
    assert.equal(pipe.code, 1)
    assert.match(pipe.stderr, /cannot reach the server/)
  })

  it('shows the stack of an unexpected error only with --verbose', async () => {
    const argv = ['write', '-d', 'db', '-H', nowhere, 'cpu v=1']
    const quiet = await runCli(argv)
    const verbose = await runCli([...argv, '--verbose'])

    assert.equal(quiet.stderr.split('\n').filter(Boolean).length, 1)
    assert.equal(verbose.code, 1)
    assert.match(verbose.stderr, /\n\s+at /)
  })
})

describe('run: confirming deletes', () => {
  it('refuses to delete a database without --yes when stdin is not a terminal', async () => {
    const result = await runCli(['delete', 'database', 'foo', '-H', nowhere])

    assert.equal(result.code, 2)
    assert.match(result.stderr, /^error: refusing to delete "foo" without confirmation: pass --yes/)
  })

  it('refuses to delete a table without --yes when stdin is not a terminal', async () => {
    const result = await runCli(['delete', 'table', 't', '-d', 'db', '-H', nowhere])

    assert.equal(result.code, 2)
    assert.match(result.stderr, /refusing to delete "db"\."t" without confirmation/)
  })

  it('asks on a terminal and stops, exit 1, unless the answer is yes', async () => {
    const argv = ['delete', 'database', 'foo', '-H', nowhere]
    const result = await runCli(argv, { stdin: 'no\n', stdinIsTTY: true })

    assert.equal(result.code, 1)
    assert.ok(
      result.stderr.startsWith(`Are you sure you want to delete "foo"? Enter 'yes' to confirm\n`),
    )
    assert.match(result.stderr, /cannot delete the database without confirmation/)
    assert.equal(result.stdout, '')
  })

  it('goes ahead on a terminal when the answer is y or yes', async () => {
    for (const answer of ['y\n', 'YES\n']) {
      const argv = ['delete', 'table', 't', '-d', 'db', '-H', nowhere]
      const result = await runCli(argv, { stdin: answer, stdinIsTTY: true })

      assert.match(result.stderr, /Are you sure you want to delete "db"\."t"\?/)
      assert.match(result.stderr, /cannot reach the server/)
    }
  })

  it('exits 130 when Ctrl-C interrupts the prompt', async () => {
    const controller = new AbortController()
    const mem = memoryIo({ stdin: new PassThrough(), stdinIsTTY: true, signal: controller.signal })
    const code = run(['delete', 'database', 'foo', '-H', nowhere], mem.io)

    await until(() => mem.stderr().includes('Are you sure'))
    controller.abort(new InterruptedError())

    assert.equal(await code, 130)
  })
})
