import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { frozenClock } from '../src/shared/index.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

const jsonHeaders = { 'content-type': 'application/json' }

describe('database and table configuration', () => {
  const clock = frozenClock('2026-03-01T10:00:00Z')
  let app: TestServer
  before(async () => {
    app = await startTestServer({ maxDatabases: 3 }, { clock })
  })
  after(() => app.close())

  const createDb = (body: unknown) =>
    app.fetch('/api/v3/configure/database', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: jsonHeaders,
    })

  it('creates databases and lists them sorted, _internal included', async () => {
    assert.equal((await createDb({ db: 'bravo' })).status, 200)
    assert.equal((await createDb({ db: 'alpha', retention_period: '7d' })).status, 200)

    const res = await app.fetch('/api/v3/configure/database?format=json')
    assert.equal(res.status, 200)
    assert.equal(
      await res.text(),
      '[{"iox::database":"_internal"},{"iox::database":"alpha"},{"iox::database":"bravo"}]',
    )
  })

  it('lists in csv and requires the format parameter', async () => {
    const csv = await app.fetch('/api/v3/configure/database?format=csv')
    assert.equal(await csv.text(), 'iox::database\n_internal\nalpha\nbravo\n')

    const none = await app.fetch('/api/v3/configure/database')
    assert.equal(none.status, 400)
    assert.equal(await none.text(), 'serde error: missing field `format`')
  })

  it('answers a duplicate with 409 and a bad name with 400', async () => {
    const again = await createDb({ db: 'alpha' })
    assert.equal(again.status, 409)
    assert.equal(await again.text(), 'attempted to create a resource that already exists')

    const bad = await createDb({ db: 'this#_is_fine' })
    assert.equal(bad.status, 400)
    assert.deepEqual(await bad.json(), {
      error:
        'invalid character in database or rp name: must be ASCII, containing only letters, numbers, underscores, or hyphens',
    })
  })

  it('answers 422 past the database limit, counting neither _internal nor deleted ones', async () => {
    assert.equal((await createDb({ db: 'charlie' })).status, 200)
    const over = await createDb({ db: 'delta' })
    assert.equal(over.status, 422)
    assert.deepEqual(await over.json(), {
      error: 'Adding a new database would exceed limit of 3 databases',
    })

    const viaWrite = await app.write('delta', 'm v=1')
    assert.equal(viaWrite.status, 422)
  })

  it('soft-deletes: renames with a timestamp, frees the name, shows it with show_deleted', async () => {
    const res = await app.fetch('/api/v3/configure/database?db=charlie&hard_delete_at=never', {
      method: 'DELETE',
    })
    assert.equal(res.status, 200)

    const listed = await app.fetch('/api/v3/configure/database?format=json&show_deleted=true')
    const rows = (await listed.json()) as Array<Record<string, unknown>>
    assert.deepEqual(
      rows.find((r) => String(r['iox::database']).startsWith('charlie')),
      {
        'iox::database': 'charlie-20260301T100000',
        deleted: true,
      },
    )
    assert.equal((await createDb({ db: 'charlie' })).status, 200)
  })

  it('answers deletes of unknown databases, _internal and bad hard_delete_at', async () => {
    const unknown = await app.fetch('/api/v3/configure/database?db=zulu', { method: 'DELETE' })
    assert.equal(unknown.status, 404)
    assert.equal(await unknown.text(), 'the requested resource was not found: zulu')

    const missing = await app.fetch('/api/v3/configure/database', { method: 'DELETE' })
    assert.equal(missing.status, 400)

    const internal = await app.fetch('/api/v3/configure/database?db=_internal', {
      method: 'DELETE',
    })
    assert.equal(internal.status, 400)
    assert.equal(await internal.text(), 'cannot delete internal db')

    const badTime = await app.fetch('/api/v3/configure/database?db=alpha&hard_delete_at=soon', {
      method: 'DELETE',
    })
    assert.equal(badTime.status, 400)
    assert.equal(await badTime.text(), 'Cannot parse the timestamp: soon')
  })

  it('removes the data of a database deleted with hard_delete_at=now', async () => {
    await app.write('bravo', 'm v=1 1')
    const res = await app.fetch('/api/v3/configure/database?db=bravo&hard_delete_at=now', {
      method: 'DELETE',
    })
    assert.equal(res.status, 200)

    await app.write('bravo', 'm v=2 2')
    assert.deepEqual(await app.sql('bravo', 'SELECT v FROM m'), [{ v: 2 }])
  })

  it('sets and clears a retention period with PUT', async () => {
    const set = await app.fetch('/api/v3/configure/database', {
      method: 'PUT',
      body: JSON.stringify({ db: 'alpha', retention_period: '30d' }),
      headers: jsonHeaders,
    })
    assert.equal(set.status, 200)

    const unknown = await app.fetch('/api/v3/configure/database', {
      method: 'PUT',
      body: JSON.stringify({ db: 'nope', retention_period: '30d' }),
      headers: jsonHeaders,
    })
    assert.equal(unknown.status, 404)
  })

  it('creates a table with typed fields and deletes it', async () => {
    const body = {
      db: 'alpha',
      table: 'sensors',
      tags: ['room'],
      fields: [{ name: 'temp', type: 'float64' }],
    }
    const created = await app.fetch('/api/v3/configure/table', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: jsonHeaders,
    })
    assert.equal(created.status, 200)

    const conflict = await app.write('alpha', 'sensors,room=a temp=1i')
    assert.equal(conflict.status, 400)

    const again = await app.fetch('/api/v3/configure/table', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: jsonHeaders,
    })
    assert.equal(again.status, 409)

    const deleted = await app.fetch('/api/v3/configure/table?db=alpha&table=sensors', {
      method: 'DELETE',
    })
    assert.equal(deleted.status, 200)
    const gone = await app.fetch('/api/v3/configure/table?db=alpha&table=sensors', {
      method: 'DELETE',
    })
    assert.equal(gone.status, 404)
  })
})

describe('retention', () => {
  it('neither returns nor keeps data older than the retention period', async () => {
    const clock = frozenClock('2026-03-01T10:00:00Z')
    const app = await startTestServer({}, { clock })
    try {
      await app.fetch('/api/v3/configure/database', {
        method: 'POST',
        body: JSON.stringify({ db: 'short', retention_period: '1h' }),
        headers: jsonHeaders,
      })
      const now = BigInt(Date.parse('2026-03-01T10:00:00Z')) * 1_000_000n
      const twoHoursAgo = now - 7_200_000_000_000n
      await app.write('short', `m v=1 ${twoHoursAgo}\nm v=2 ${now}`)

      assert.deepEqual(await app.sql('short', 'SELECT v FROM fluxgate_raw.m'), [{ v: 2 }])
      assert.deepEqual(await app.sql('short', 'SELECT v FROM m'), [{ v: 2 }])
    } finally {
      await app.close()
    }
  })
})
