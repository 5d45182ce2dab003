import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { isFluxgateError } from '../errors/index.js'
import { parseFlightTicket } from './flight-ticket.js'

const bytes = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))

describe('parseFlightTicket', () => {
  it('reads the ticket of the v3 clients, SQL by default', () => {
    assert.deepEqual(parseFlightTicket(bytes({ database: 'db', sql_query: 'SELECT 1' })), {
      database: 'db',
      query: 'SELECT 1',
      language: 'sql',
      params: {},
    })
    assert.deepEqual(
      parseFlightTicket(
        bytes({
          database: 'db',
          sql_query: 'SELECT * FROM m WHERE a = $a',
          query_type: 'influxql',
          params: { a: 1, b: 'x', c: true, d: null },
          extra: 'ignored',
        }),
      ),
      {
        database: 'db',
        query: 'SELECT * FROM m WHERE a = $a',
        language: 'influxql',
        params: { a: 1, b: 'x', c: true, d: null },
      },
    )
  })

  it('refuses what is not a ticket with ERR_BAD_REQUEST, naming the field', () => {
    const refused: Array<[unknown, RegExp]> = [
      ['{', /expected UTF-8 JSON/],
      [Buffer.from([0xff, 0xfe]), /expected UTF-8 JSON/],
      [[], /invalid ticket/],
      [{ sql_query: 'SELECT 1' }, /database/],
      [{ database: 'db', sql_query: '' }, /sql_query/],
      [{ database: 'db', sql_query: 'q', query_type: 'flux' }, /query_type/],
      [{ database: 'db', sql_query: 'q', params: { a: {} } }, /params\.a/],
    ]
    for (const [value, detail] of refused) {
      const input = Buffer.isBuffer(value) ? value : bytes(value)
      assert.throws(
        () => parseFlightTicket(input),
        (error: unknown) =>
          isFluxgateError(error, 'ERR_BAD_REQUEST') && detail.test(error.detail ?? ''),
        String(value),
      )
    }
  })
})
