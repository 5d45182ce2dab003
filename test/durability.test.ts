import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { createOperatorToken, spawnServer } from './support/server-process.js'

const crashes = 8
const writers = 6

/** Sends writes as fast as it can until stopped; remembers every acknowledged sequence number. */
async function writeUntilStopped(
  url: string,
  headers: Record<string, string>,
  writer: number,
  acked: Set<string>,
  stop: AbortSignal,
) {
  let seq = 0
  while (!stop.aborted) {
    const batch = Array.from({ length: 20 }, () => {
      seq++
      return {
        key: `${writer}:${seq}`,
        line: `acked,writer=w${writer} seq=${seq}i ${1_700_000_000_000_000_000n + BigInt(seq)}`,
      }
    })
    try {
      const res = await fetch(`${url}/api/v3/write_lp?db=crash&precision=ns`, {
        method: 'POST',
        headers,
        body: batch.map((b) => b.line).join('\n'),
      })
      if (res.status === 204) for (const b of batch) acked.add(b.key)
    } catch {
      return
    }
  }
}

async function storedKeys(url: string, headers: Record<string, string>): Promise<Set<string>> {
  const q = new URLSearchParams({
    db: 'crash',
    q: 'SELECT writer, seq FROM acked',
    format: 'jsonl',
  })
  const res = await fetch(`${url}/api/v3/query_sql?${q}`, { headers })
  const text = await res.text()
  assert.equal(res.status, 200, text)
  const rows = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { writer: string; seq: number })
  return new Set(rows.map((r) => `${r.writer.slice(1)}:${r.seq}`))
}

describe('durability', () => {
  let dataDir: string
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fluxgate-crash-'))
  })
  after(() => rm(dataDir, { recursive: true, force: true }))

  it(`keeps every acknowledged line across ${crashes} SIGKILLs under concurrent writes`, async () => {
    const acked = new Set<string>()
    const headers: Record<string, string> = {}

    for (let round = 0; round < crashes; round++) {
      const server = await spawnServer(['--data-dir', dataDir, '--node-id', 'crash'])
      if (round === 0) headers.authorization = `Bearer ${await createOperatorToken(server.url)}`
      const stored = acked.size === 0 ? new Set<string>() : await storedKeys(server.url, headers)
      const missing = [...acked].filter((key) => !stored.has(key))
      assert.deepEqual(missing, [], `round ${round}: acknowledged lines lost`)

      const stop = new AbortController()
      const load = Array.from({ length: writers }, (_, w) =>
        writeUntilStopped(server.url, headers, round * 100 + w, acked, stop.signal),
      )
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 500))
      server.child.kill('SIGKILL')
      stop.abort()
      await Promise.all(load)
      await server.exited
    }

    const last = await spawnServer(['--data-dir', dataDir, '--node-id', 'crash'])
    try {
      const stored = await storedKeys(last.url, headers)
      assert.ok(acked.size > 0, 'the load acknowledged nothing')
      assert.deepEqual(
        [...acked].filter((key) => !stored.has(key)),
        [],
      )
    } finally {
      last.child.kill('SIGTERM')
      assert.equal(await last.exited, 0)
    }
  })
})
