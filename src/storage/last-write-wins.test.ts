import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'

import { cpuColumns, cpuRow, fileEngine, queryRows } from './internal/storage-fixtures.js'
import type { TestEngine } from './internal/storage-fixtures.js'
import type { DatabaseStorage } from './storage-engine.js'

const points = 'SELECT host, region, time, usage, count FROM cpu ORDER BY time, host, region'

describe('last write wins on identical table, tag set and time', () => {
  let fixture: TestEngine
  let db: DatabaseStorage

  beforeEach(async () => {
    fixture = await fileEngine()
    db = await fixture.engine.open('db')
    await db.ensureColumns('cpu', cpuColumns)
  })

  afterEach(() => fixture.dispose())

  it('keeps the last of repeated points within one write', async () => {
    await db.write(
      [
        cpuRow(10n, { host: 'a' }, { usage: 1 }),
        cpuRow(10n, { host: 'b' }, { usage: 2 }),
        cpuRow(10n, { host: 'a' }, { usage: 3 }),
      ],
      { sync: true },
    )

    assert.deepEqual(await queryRows(db, points), [
      { host: 'a', region: null, time: 10n, usage: 3, count: null },
      { host: 'b', region: null, time: 10n, usage: 2, count: null },
    ])
  })

  it('replaces a stored point written again by a later write', async () => {
    await db.write(
      [cpuRow(10n, { host: 'a' }, { usage: 1 }), cpuRow(20n, { host: 'a' }, { usage: 2 })],
      { sync: true },
    )
    await db.write([cpuRow(10n, { host: 'a' }, { usage: 9 })], { sync: true })
    await db.write([cpuRow(20n, { host: 'a' }, { usage: 8 })], { sync: true })

    assert.deepEqual(await queryRows(db, points), [
      { host: 'a', region: null, time: 10n, usage: 9, count: null },
      { host: 'a', region: null, time: 20n, usage: 8, count: null },
    ])
  })

  it('merges the fields of a rewritten point, the later value winning for each', async () => {
    await db.write([cpuRow(10n, { host: 'a' }, { usage: 1, count: 5n })], { sync: true })
    await db.write([cpuRow(10n, { host: 'a' }, { usage: 2 })], { sync: true })
    await db.write(
      [cpuRow(20n, { host: 'a' }, { count: 1n }), cpuRow(20n, { host: 'a' }, { usage: 4 })],
      { sync: true },
    )

    assert.deepEqual(await queryRows(db, points), [
      { host: 'a', region: null, time: 10n, usage: 2, count: 5n },
      { host: 'a', region: null, time: 20n, usage: 4, count: 1n },
    ])
  })

  it('tells tag sets apart by every tag, an absent tag included', async () => {
    await db.write(
      [
        cpuRow(10n, { host: 'a' }, { usage: 1 }),
        cpuRow(10n, { host: 'a', region: 'eu' }, { usage: 2 }),
        cpuRow(10n, { region: 'a' }, { usage: 3 }),
        cpuRow(10n, { host: 'a|1:b' }, { usage: 4 }),
      ],
      { sync: true },
    )
    await db.write([cpuRow(10n, { host: 'a', region: 'eu' }, { usage: 5 })], { sync: true })

    assert.deepEqual(await queryRows(db, 'SELECT host, region, usage FROM cpu ORDER BY usage'), [
      { host: 'a', region: null, usage: 1 },
      { host: null, region: 'a', usage: 3 },
      { host: 'a|1:b', region: null, usage: 4 },
      { host: 'a', region: 'eu', usage: 5 },
    ])
  })

  it('keeps the last write among concurrent writes that share a commit', async () => {
    const writes = Array.from({ length: 20 }, (_, index) =>
      db.write([cpuRow(10n, { host: 'a' }, { usage: index })], { sync: true }),
    )
    await Promise.all(writes)

    assert.deepEqual(await queryRows(db, points), [
      { host: 'a', region: null, time: 10n, usage: 19, count: null },
    ])
  })

  it('replaces older points without touching their neighbours', async () => {
    const rows = Array.from({ length: 5000 }, (_, index) =>
      cpuRow(BigInt(index), { host: `h${index % 50}` }, { usage: index }),
    )
    await db.write(rows, { sync: true })
    await db.write([cpuRow(4321n, { host: 'h21' }, { usage: -1 })], { sync: true })

    const [summary] = await queryRows(
      db,
      `SELECT count(*) AS n, sum(usage) AS total,
         max(usage) FILTER (WHERE epoch_ns(time) = 4321) AS rewritten
       FROM cpu`,
    )
    assert.deepEqual(summary, {
      n: 5000n,
      total: (4999 * 5000) / 2 - 4321 - 1,
      rewritten: -1,
    })
  })

  it('tells apart points one nanosecond apart, late in the epoch', async () => {
    const late = 1_767_225_600_000_000_000n
    const rows = [0n, 1n, 2n, 1n].map((offset, index) =>
      cpuRow(late + offset, { host: 'a' }, { usage: index }),
    )
    await db.write(rows, { sync: true })

    assert.deepEqual(
      await queryRows(
        db,
        'SELECT epoch_ns(time) - 1767225600000000000 AS t, usage FROM cpu ORDER BY t',
      ),
      [
        { t: 0n, usage: 0 },
        { t: 1n, usage: 3 },
        { t: 2n, usage: 2 },
      ],
    )
  })

  it('stores absent tags and fields as NULL', async () => {
    await db.write([cpuRow(10n, {}, { count: 7n })], { sync: true })

    assert.deepEqual(await queryRows(db, points), [
      { host: null, region: null, time: 10n, usage: null, count: 7n },
    ])
  })

  it('still merges points written before a column was added', async () => {
    await db.write([cpuRow(10n, { host: 'a' }, { usage: 1 })], { sync: true })
    await db.ensureColumns('cpu', [{ name: 'zone', type: 'tag' }])
    await db.write([cpuRow(10n, { host: 'a' }, { usage: 2 })], { sync: true })

    assert.deepEqual(await queryRows(db, 'SELECT host, zone, usage FROM cpu'), [
      { host: 'a', zone: null, usage: 2 },
    ])
  })
})
