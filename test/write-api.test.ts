import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

describe('line-protocol writes', () => {
  let app: TestServer
  before(async () => {
    app = await startTestServer()
  })
  after(() => app.close())

  it('stores a v3 write, creating the database, and answers 204', async () => {
    const res = await app.write(
      'weather',
      'home,room=kitchen temp=21.5,hum=40i 1700000000000000000',
    )
    assert.equal(res.status, 204)
    assert.equal(await res.text(), '')

    const rows = await app.sql('weather', 'SELECT room, temp, hum, time FROM home')
    assert.deepEqual(rows, [{ room: 'kitchen', temp: 21.5, hum: 40, time: '2023-11-14T22:13:20' }])
  })

  it('keeps the last write for the same series and time', async () => {
    await app.write('lww', 'm,host=a v=1 1000000000000000000\nm,host=a v=2 1000000000000000000')
    await app.write('lww', 'm,host=a v=3 1000000000000000000\nm,host=b v=4 1000000000000000000')

    const rows = await app.sql('lww', 'SELECT host, v FROM m ORDER BY host')
    assert.deepEqual(rows, [
      { host: 'a', v: 3 },
      { host: 'b', v: 4 },
    ])
  })

  it('writes the good lines of a partial write and reports the bad ones', async () => {
    const body = 'cpu,host=a val=1 1\ncpu,host=a val= 123\ncpu,host=b val=2 2'
    const res = await app.write('partial', body, { precision: 's' })

    assert.equal(res.status, 400)
    assert.deepEqual(await res.json(), {
      error: 'partial write of line protocol occurred',
      data: [
        {
          error_message: 'No fields were provided',
          line_number: 2,
          original_line: 'cpu,host=a val= 123',
        },
      ],
    })
    assert.equal((await app.sql('partial', 'SELECT count(*) AS n FROM cpu'))[0]?.n, 2)
  })

  it('rejects the whole write with accept_partial=false and stores nothing', async () => {
    const body = 'strict,host=a val=1 1\nstrict,host=a val= 123'
    const res = await app.write('strictdb', body, { accept_partial: 'false' })

    assert.equal(res.status, 400)
    assert.deepEqual(await res.json(), {
      error: 'line protocol parsing error',
      data: {
        error_message: 'No fields were provided',
        line_number: 2,
        original_line: 'strict,host=a val= 1',
      },
    })
    const list = await app.fetch('/api/v3/configure/database?format=json')
    assert.ok(!(await list.text()).includes('strictdb'))
  })

  it('refuses a field whose type differs from the stored column', async () => {
    await app.write('types', 't f=1i 1')
    const res = await app.write('types', 't f=1u 2')

    assert.equal(res.status, 400)
    const body = (await res.json()) as { data: Array<{ error_message: string }> }
    assert.equal(
      body.data[0]?.error_message,
      "invalid column type for column 'f', expected iox::column_type::field::integer, got iox::column_type::field::uinteger",
    )
  })

  it('refuses duplicate fields and the reserved time column', async () => {
    const res = await app.write('types', 't usage=0.5,usage=0.6 3\nt time=1 4')
    const body = (await res.json()) as { data: Array<{ error_message: string }> }

    assert.deepEqual(
      body.data.map((e) => e.error_message),
      [
        "invalid line protocol - multiple instances of 'usage' field found",
        "'time' is a reserved column",
      ],
    )
  })

  it('answers an empty body with incoming write was empty', async () => {
    const res = await app.write('weather', '\n# just a comment\n')
    assert.equal(res.status, 400)
    assert.equal(await res.text(), 'incoming write was empty')
  })

  it('answers the missing db parameter as the reference does', async () => {
    const bare = await app.fetch('/api/v3/write_lp', { method: 'POST', body: 'm v=1' })
    assert.equal(bare.status, 400)
    assert.equal(await bare.text(), "missing query parameter 'db'")

    const noDb = await app.fetch('/api/v3/write_lp?precision=ns', { method: 'POST', body: 'm v=1' })
    assert.equal(noDb.status, 400)
    assert.equal(await noDb.text(), 'serde error: missing field `db`')
  })

  it('refuses a bad database name with the reference message', async () => {
    const res = await app.write('_bad', 'm v=1')
    assert.equal(res.status, 400)
    assert.deepEqual(await res.json(), { error: 'db name did not start with a number or letter' })
  })

  it('applies the precision to timestamps exactly', async () => {
    await app.write('prec', 'p v=1 1708473600', { precision: 'auto' })
    await app.write('prec', 'p v=2 1708473601000', { precision: 'auto' })
    await app.write('prec', 'p v=3 1708473602000000', { precision: 'auto' })
    await app.write('prec', 'p v=4 1708473603000000001', { precision: 'auto' })

    const rows = await app.sql('prec', 'SELECT v, time FROM p ORDER BY time')
    assert.deepEqual(
      rows.map((r) => r.time),
      [
        '2024-02-21T00:00:00',
        '2024-02-21T00:00:01',
        '2024-02-21T00:00:02',
        '2024-02-21T00:00:03.000000001',
      ],
    )
  })
})

describe('write limits', () => {
  let app: TestServer
  before(async () => {
    app = await startTestServer({ maxTables: 2, maxColumnsPerTable: 4 })
  })
  after(() => app.close())

  it('answers 422 when a write would pass the column limit', async () => {
    const res = await app.write('limits', 'wide a=1,b=2,c=3,d=4,e=5 1')
    assert.equal(res.status, 422)
    const body = (await res.json()) as { data: Array<{ error_message: string }> }
    assert.equal(
      body.data[0]?.error_message,
      'Update to schema would exceed number of columns per table limit of 4 columns',
    )
  })

  it('answers 422 past the table limit, counted across databases, and keeps the good lines', async () => {
    assert.equal((await app.write('one', 't1 v=1 1')).status, 204)
    const res = await app.write('two', 't2 v=1 1\nt3 v=1 1')

    assert.equal(res.status, 422)
    const body = (await res.json()) as {
      data: Array<{ error_message: string; line_number: number }>
    }
    assert.deepEqual(body.data, [
      {
        error_message:
          'Update to schema would exceed number of tables limit: attempted to create table but already have 2 table(s) (limit: 2)',
        line_number: 2,
        original_line: 't3 v=1 1',
      },
    ])
    assert.deepEqual(await app.sql('two', 'SELECT v FROM t2'), [{ v: 1 }])
  })
})

describe('v1 and v2 writes', () => {
  let app: TestServer
  before(async () => {
    app = await startTestServer()
  })
  after(() => app.close())

  it('writes through /write with db and rp', async () => {
    const res = await app.fetch('/write?db=legacy&rp=autogen&precision=s', {
      method: 'POST',
      body: 'm v=1 1',
    })
    assert.equal(res.status, 204)

    const rp = await app.fetch('/write?db=legacy&rp=Weekly', { method: 'POST', body: 'm v=2 2' })
    assert.equal(rp.status, 204)
    assert.equal((await app.sql('legacy/weekly', 'SELECT v FROM m'))[0]?.v, 2)
  })

  it('answers /write without db in JSON', async () => {
    const res = await app.fetch('/write', { method: 'POST', body: 'm v=1' })
    assert.equal(res.status, 400)
    assert.equal(await res.text(), '{"error":"no db destination provided"}')
  })

  it('writes through /api/v2/write and answers errors as {code, message}', async () => {
    const ok = await app.fetch('/api/v2/write?bucket=v2db&org=x&precision=ms', {
      method: 'POST',
      body: 'm v=1 1',
    })
    assert.equal(ok.status, 204)
    assert.equal((await app.sql('v2db', 'SELECT time FROM m'))[0]?.time, '1970-01-01T00:00:00.001')

    const none = await app.fetch('/api/v2/write', { method: 'POST', body: 'm v=1' })
    assert.deepEqual(await none.json(), {
      code: 'invalid',
      message: 'no org/bucket destination provided',
    })

    const orgOnly = await app.fetch('/api/v2/write?org=x', { method: 'POST', body: 'm v=1' })
    assert.deepEqual(await orgOnly.json(), { code: 'invalid', message: 'missing bucket value' })

    const bad = await app.fetch('/api/v2/write?bucket=v2db', { method: 'POST', body: 'm v=' })
    assert.equal(bad.status, 400)
    assert.equal(((await bad.json()) as { code: string }).code, 'invalid')
  })
})
