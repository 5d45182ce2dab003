import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, it } from 'node:test'

import { isFluxgateError } from '../errors/index.js'
import { createStorageEngine } from './duckdb-storage-engine.js'
import {
  cpuColumns,
  cpuRow,
  fileEngine,
  queryRows,
  queryValue,
} from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'

const enginePath = fileURLToPath(new URL('./duckdb-storage-engine.ts', import.meta.url))

// Writes in a child process, reports each acknowledged write on stdout, and is killed with
// SIGKILL right after the last one: no close, no checkpoint, only DuckDB's WAL.
function writeThenCrash(dir: string, writes: number): Promise<number> {
  const script = `
    const { createStorageEngine } = await import(${JSON.stringify(enginePath)})
    const engine = createStorageEngine({ mode: 'file', dir: ${JSON.stringify(dir)} })
    const db = await engine.open('crash')
    await db.ensureColumns('cpu', [{ name: 'host', type: 'tag' }, { name: 'usage', type: 'float' }])
    for (let i = 0; i < ${writes}; i++) {
      const row = { table: 'cpu', tags: { host: 'h' + i }, fields: { usage: i }, time: BigInt(i) }
      await db.write([row], { sync: true })
      process.stdout.write('acked ' + i + '\\n')
    }
    setInterval(() => {}, 1000)`
  const child = spawn(process.execPath, [
    '--import',
    'tsx',
    '--input-type=module',
    '--eval',
    script,
  ])

  return new Promise((resolve, reject) => {
    let acknowledged = 0
    let stderr = ''
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
    child.stdout.on('data', (data: Buffer) => {
      acknowledged += data.toString().split('acked').length - 1
      if (acknowledged === writes) child.kill('SIGKILL')
    })
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(acknowledged) : reject(new Error(`exit ${code}: ${stderr}`)),
    )
  })
}

describe('durability', () => {
  let fixture: TestEngine

  beforeEach(async () => {
    fixture = await fileEngine()
  })

  afterEach(() => fixture.dispose())

  it('keeps rows, column roles and the sorted view across close and reopen', async () => {
    const db = await fixture.engine.open('db')
    await db.ensureColumns('cpu', cpuColumns)
    await db.write([cpuRow(5n, { host: 'a' }, { usage: 0.5, count: 2n })], { sync: true })
    await fixture.engine.close()

    const reopened = await fixture.reopen().open('db')
    const result = await reopened.query('SELECT * FROM cpu', {})
    const rows = await queryRows(reopened, 'SELECT * FROM cpu')

    assert.deepEqual(
      result.columns.map((column) => [column.name, column.influxType]),
      [
        ['count', 'integer'],
        ['host', 'tag'],
        ['region', 'tag'],
        ['time', 'time'],
        ['usage', 'float'],
      ],
    )
    assert.deepEqual(rows, [{ count: 2n, host: 'a', region: null, time: 5n, usage: 0.5 }])
    assert.equal(await queryValue(reopened, 'SELECT typeof(now())'), 'TIMESTAMP_NS')
  })

  it('keeps every acknowledged write when the process is killed', async () => {
    const acknowledged = await writeThenCrash(fixture.dir, 25)

    const db = await fixture.engine.open('crash')
    assert.equal(acknowledged, 25)
    assert.equal(await queryValue(db, 'SELECT count(*) FROM cpu'), 25n)
  })

  it('commits pending writes before closing', async () => {
    const db = await fixture.engine.open('db')
    await db.ensureColumns('cpu', cpuColumns)
    const pending = Array.from({ length: 50 }, (_, index) =>
      db.write([cpuRow(BigInt(index), { host: 'a' }, { usage: index })], { sync: false }),
    )
    await Promise.all(pending)
    await fixture.engine.close()

    const reopened = await fixture.reopen().open('db')
    assert.equal(await queryValue(reopened, 'SELECT count(*) FROM cpu'), 50n)
  })

  it('stops running queries when the database closes', async () => {
    const db = await fixture.engine.open('db')
    const result = await db.query('SELECT range FROM range(100000000)', {})
    const iterator = result.batches[Symbol.asyncIterator]()
    await iterator.next()

    await db.close()

    await assert.rejects(iterator.next(), (error: unknown) =>
      isFluxgateError(error, 'ERR_SHUTTING_DOWN'),
    )
  })

  it('removes every file of a destroyed database', async () => {
    const db = await fixture.engine.open('gone')
    await db.ensureColumns('cpu', cpuColumns)
    await db.write([cpuRow(1n, { host: 'a' }, { usage: 1 })], { sync: true })

    await fixture.engine.destroy('gone')

    assert.equal(existsSync(join(fixture.dir, 'gone')), false)
    const fresh = await fixture.engine.open('gone')
    await assert.rejects(fresh.query('SELECT * FROM cpu', {}), (error: unknown) =>
      isFluxgateError(error, 'ERR_QUERY_INVALID'),
    )
  })

  it('refuses storage keys that could leave the data folder', async () => {
    for (const key of ['', '.', '..', '../x', 'a/b', 'a\\b', '.hidden']) {
      await assert.rejects(fixture.engine.open(key), (error: unknown) =>
        isFluxgateError(error, 'ERR_INTERNAL'),
      )
    }
  })

  it('leaves nothing behind in memory mode', async () => {
    const before = new Set(await readdir(tmpdir()))
    const engine = createStorageEngine({ mode: 'memory' })
    const db = await engine.open('mem')
    await db.ensureColumns('cpu', cpuColumns)
    await db.write([cpuRow(1n, { host: 'a' }, { usage: 1 })], { sync: true })
    assert.ok((await db.queryParquet('FROM cpu', {})).length > 0)
    await engine.close()

    const reopened = createStorageEngine({ mode: 'memory' })
    const again = await reopened.open('mem')
    await assert.rejects(again.query('SELECT * FROM cpu', {}))
    await reopened.close()

    const left = (await readdir(tmpdir())).filter((name) => !before.has(name))
    assert.deepEqual(
      left.filter((name) => name.startsWith('fluxgate-mem-')),
      [],
    )
  })
})
