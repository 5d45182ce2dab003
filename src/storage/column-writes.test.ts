import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'

import { isFluxgateError } from '../errors/index.js'
import {
  cpuColumns,
  cpuRow,
  fileEngine,
  queryRows,
  queryValue,
} from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import type { DatabaseStorage } from './storage-engine.js'
import type { StoredValue, TableColumns } from './types.js'

const points = 'SELECT host, region, epoch_ns(time) AS t, usage, count FROM cpu ORDER BY t, host'

function cpuColumnsOf(
  time: bigint[],
  tags: Record<string, Array<string | undefined>>,
  fields: Record<string, Array<StoredValue | undefined>>,
): TableColumns {
  return {
    table: 'cpu',
    time,
    tags: new Map(Object.entries(tags)),
    fields: new Map(Object.entries(fields)),
  }
}

describe('writes given column by column', () => {
  let fixture: TestEngine
  let db: DatabaseStorage
  let backgroundErrors: unknown[]

  beforeEach(async () => {
    backgroundErrors = []
    fixture = await fileEngine({ onBackgroundError: (error) => backgroundErrors.push(error) })
    db = await fixture.engine.open('db')
    await db.ensureColumns('cpu', cpuColumns)
  })

  afterEach(() => fixture.dispose())

  it('stores every row, absent values and absent columns as NULL', async () => {
    const columns = cpuColumnsOf(
      [1n, 2n],
      { host: ['a', undefined] },
      { usage: [0.5, undefined], count: [undefined, 7n] },
    )
    await db.writeColumns([columns], { sync: true })

    assert.deepEqual(await queryRows(db, points), [
      { host: 'a', region: null, t: 1n, usage: 0.5, count: null },
      { host: null, region: null, t: 2n, usage: null, count: 7n },
    ])
  })

  it('replaces stored points, keeping the stored fields a rewrite leaves out', async () => {
    await db.write([cpuRow(10n, { host: 'a' }, { usage: 1, count: 5n })], { sync: true })
    await db.writeColumns([cpuColumnsOf([10n], { host: ['a'] }, { usage: [2] })], { sync: true })

    assert.deepEqual(await queryRows(db, points), [
      { host: 'a', region: null, t: 10n, usage: 2, count: 5n },
    ])
  })

  it('merges points repeated within one write, the later value winning', async () => {
    const columns = cpuColumnsOf(
      [10n, 10n, 10n],
      { host: ['a', 'b', 'a'] },
      { usage: [1, 2, 3], count: [4n, undefined, undefined] },
    )
    await db.writeColumns([columns], { sync: true })

    assert.deepEqual(await queryRows(db, points), [
      { host: 'a', region: null, t: 10n, usage: 3, count: 4n },
      { host: 'b', region: null, t: 10n, usage: 2, count: null },
    ])
  })

  it('reads back text whether its values repeat much or not at all', async () => {
    await db.ensureColumns('cpu', [{ name: 'note', type: 'string' }])
    const count = 5000
    const time = Array.from({ length: count }, (_, row) => BigInt(row))
    const columns = cpuColumnsOf(
      time,
      { host: time.map((row) => `h${row}`), region: time.map((row) => (row % 3n ? 'eu' : 'us')) },
      { note: time.map((row) => (row % 2n ? `note ${row} ${'x'.repeat(20)}` : undefined)) },
    )
    await db.writeColumns([columns], { sync: true })

    const [summary] = await queryRows(
      db,
      `SELECT count(DISTINCT host) AS hosts, count(*) FILTER (WHERE region = 'us') AS us,
         count(note) AS notes, max(length(note)) AS longest FROM cpu`,
    )
    assert.deepEqual(summary, { hosts: 5000n, us: 1667n, notes: 2500n, longest: 30n })
  })

  it('refuses columns that do not match the stored schema before they reach a commit', async () => {
    const mistakes = [
      cpuColumnsOf([1n], { host: ['a'] }, { usage: ['high'] }),
      cpuColumnsOf([1n], {}, { missing: [1] }),
      cpuColumnsOf([1n], { usage: ['a'] }, {}),
      cpuColumnsOf([1n, 2n], { host: ['a'] }, {}),
      { ...cpuColumnsOf([1n], {}, {}), table: 'nowhere' },
    ]

    for (const columns of mistakes) {
      await assert.rejects(db.writeColumns([columns], { sync: true }), (error: unknown) =>
        isFluxgateError(error, 'ERR_INTERNAL'),
      )
    }
    assert.equal(await queryValue(db, 'SELECT count(*) FROM cpu'), 0n)
  })

  it('leaves nothing of a failed commit for the next one', async () => {
    await db.ensureColumns('mem', [{ name: 'used', type: 'float' }])
    const memory = { table: 'mem', time: [1n], tags: new Map(), fields: new Map([['used', [1]]]) }
    const dropped = db.dropTable('mem')
    await db.writeColumns([memory], { sync: false })
    await dropped
    await db.ensureColumns('mem', [{ name: 'used', type: 'float' }])
    await db.writeColumns([{ ...memory, fields: new Map([['used', [2]]]) }], { sync: true })

    assert.equal(backgroundErrors.length, 1)
    assert.deepEqual(await queryRows(db, 'SELECT used FROM mem'), [{ used: 2 }])
  })
})
