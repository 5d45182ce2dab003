import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'

import { createOperatorToken, runCli, spawnServer } from './support/server-process.js'

describe('influxdb3 serve as a process', () => {
  it('stops on SIGTERM after finishing in-flight writes, exits 0, and keeps the data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fluxgate-serve-'))
    try {
      const server = await spawnServer(['--data-dir', dataDir, '--node-id', 'n1'])
      const body = Array.from(
        { length: 20_000 },
        (_, i) => `stop,host=h${i % 10} v=${i}i ${i + 1}`,
      ).join('\n')
      const headers = { authorization: `Bearer ${await createOperatorToken(server.url)}` }
      const inFlight = fetch(`${server.url}/api/v3/write_lp?db=shutdown`, {
        method: 'POST',
        headers,
        body,
      })
      await new Promise((resolve) => setTimeout(resolve, 20))
      server.child.kill('SIGTERM')

      assert.equal((await inFlight).status, 204)
      assert.equal(await server.exited, 0)

      const again = await spawnServer(['--data-dir', dataDir, '--node-id', 'n1'])
      const q = new URLSearchParams({ db: 'shutdown', q: 'SELECT count(*) AS n FROM stop' })
      const res = await fetch(`${again.url}/api/v3/query_sql?${q}`, { headers })
      assert.deepEqual(await res.json(), [{ n: 20_000 }])
      again.child.kill('SIGINT')
      assert.equal(await again.exited, 0)
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })

  it('stops a start with bad configuration with one clear line and exit code 1', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['serve', '--node-id', 'x', '--http-bind', 'nonsense'], /--http-bind: expected HOST:PORT/],
      [
        ['serve', '--node-id', 'x', '--object-store', 's3'],
        /--object-store: "s3" is not supported/,
      ],
      [['serve', '--node-id', 'x', '--max-http-request-size', 'lots'], /--max-http-request-size/],
      [['serve', '--node-id', 'x', '--log-filter', 'loud'], /--log-filter: unknown level "loud"/],
      [['serve', '--object-store', 'memory'], /--node-id is required/],
    ]
    for (const [args, message] of cases) {
      const { code, stderr } = await runCli(args)
      assert.equal(code, 1, stderr)
      assert.match(stderr, message)
      assert.equal(stderr.trim().split('\n').length, 1, stderr)
    }
  })
})
