import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setImmediate } from 'node:timers/promises'
import { isFluxgateError } from '../errors/index.js'
import type { QueryResult, ResultBatch, ResultColumn } from '../storage/types.js'
import { writeQueryResult } from './query-result-writer.js'
import type { TextQueryFormat } from './query-result-writer.js'
import type { ResultSink } from './result-sink.js'

type Row = ResultBatch['columns'][number]

const cpuColumns: ResultColumn[] = [
  { name: 'host', type: 'string', influxType: 'tag' },
  { name: 'time', type: 'timestamp', influxType: 'time' },
  { name: 'usage', type: 'float64', influxType: 'float' },
]

const cpuRows: Row[] = [
  ['a', 0n, 1],
  [null, 155n, 0.5],
  ['b', 1_000_000n, null],
]

describe('writeQueryResult as json', () => {
  it('writes an array of row objects with keys in column order and nulls left out', async () => {
    const body = await render(cpuColumns, [cpuRows], 'json')

    assert.equal(
      body,
      '[{"host":"a","time":"1970-01-01T00:00:00","usage":1.0},' +
        '{"time":"1970-01-01T00:00:00.000000155","usage":0.5},' +
        '{"host":"b","time":"1970-01-01T00:00:00.001"}]',
    )
  })

  it('matches the reference example byte for byte', async () => {
    const columns: ResultColumn[] = [
      { name: 'field1', type: 'float64' },
      { name: 'field2', type: 'float64' },
      { name: 'tag1', type: 'string' },
      { name: 'tag2', type: 'string' },
      { name: 'time', type: 'timestamp' },
    ]

    const body = await render(columns, [[[1, 2, '1', '2', 0n]]], 'json')

    assert.equal(
      body,
      '[{"field1":1.0,"field2":2.0,"tag1":"1","tag2":"2","time":"1970-01-01T00:00:00"}]',
    )
  })

  it('writes [] when there are no rows, even after empty batches', async () => {
    assert.equal(await render(cpuColumns, [], 'json'), '[]')
    assert.equal(await render(cpuColumns, [[], []], 'json'), '[]')
  })

  it('joins rows of several batches into one array', async () => {
    const body = await render(cpuColumns, [[], cpuRows.slice(0, 1), [], cpuRows.slice(2)], 'json')

    assert.deepEqual(JSON.parse(body), [
      { host: 'a', time: '1970-01-01T00:00:00', usage: 1 },
      { host: 'b', time: '1970-01-01T00:00:00.001' },
    ])
  })

  it('prints int64 and uint64 beyond 2^53 exactly', async () => {
    const columns: ResultColumn[] = [
      { name: 'i', type: 'int64' },
      { name: 'u', type: 'uint64' },
    ]

    const body = await render(columns, [[[-(2n ** 63n), 2n ** 64n - 1n]]], 'json')

    assert.equal(body, '[{"i":-9223372036854775808,"u":18446744073709551615}]')
  })

  it('escapes strings and column names', async () => {
    const columns: ResultColumn[] = [{ name: 'say "hi"', type: 'string' }]

    const body = await render(columns, [[['quote " back \\ line\n tab\t bell\u0007 é']]], 'json')

    assert.equal(body, '[{"say \\"hi\\"":"quote \\" back \\\\ line\\n tab\\t bell\\u0007 é"}]')
    assert.deepEqual(JSON.parse(body), [
      { 'say "hi"': 'quote " back \\ line\n tab\t bell\u0007 é' },
    ])
  })

  it('writes booleans as literals and NaN or infinities as null', async () => {
    const columns: ResultColumn[] = [
      { name: 'ok', type: 'boolean' },
      { name: 'x', type: 'float64' },
    ]

    const body = await render(
      columns,
      [
        [
          [true, Number.NaN],
          [false, -Infinity],
        ],
      ],
      'json',
    )

    assert.equal(body, '[{"ok":true,"x":null},{"ok":false,"x":null}]')
  })
})

describe('writeQueryResult as jsonl', () => {
  it('writes one object per line, each ending in a newline', async () => {
    const body = await render(cpuColumns, [cpuRows.slice(0, 2), cpuRows.slice(2)], 'jsonl')

    assert.equal(
      body,
      '{"host":"a","time":"1970-01-01T00:00:00","usage":1.0}\n' +
        '{"time":"1970-01-01T00:00:00.000000155","usage":0.5}\n' +
        '{"host":"b","time":"1970-01-01T00:00:00.001"}\n',
    )
  })

  it('writes an empty body when there are no rows', async () => {
    assert.equal(await render(cpuColumns, [[]], 'jsonl'), '')
  })
})

describe('writeQueryResult as csv', () => {
  it('writes the header once, then the rows, with blank cells for nulls', async () => {
    const body = await render(cpuColumns, [[], cpuRows.slice(0, 2), cpuRows.slice(2)], 'csv')

    assert.equal(
      body,
      'host,time,usage\n' +
        'a,1970-01-01T00:00:00,1.0\n' +
        ',1970-01-01T00:00:00.000000155,0.5\n' +
        'b,1970-01-01T00:00:00.001,\n',
    )
  })

  it('writes an empty body when there are no rows', async () => {
    assert.equal(await render(cpuColumns, [[]], 'csv'), '')
  })

  it('quotes cells holding commas, quotes or line breaks and doubles the quotes', async () => {
    const columns: ResultColumn[] = [
      { name: 'a,b', type: 'string' },
      { name: 'plain', type: 'string' },
    ]

    const body = await render(
      columns,
      [
        [
          ['x,y', 'say "hi"'],
          ['two\nlines', 'cr\r'],
        ],
      ],
      'csv',
    )

    assert.equal(body, '"a,b",plain\n"x,y","say ""hi"""\n"two\nlines","cr\r"\n')
  })

  it('quotes a lone empty cell so that the line is not an empty record', async () => {
    const columns: ResultColumn[] = [{ name: 'x', type: 'string' }]

    assert.equal(await render(columns, [[[null], ['']]], 'csv'), 'x\n""\n""\n')
  })

  it('prints exact integers and floats with a fraction', async () => {
    const columns: ResultColumn[] = [
      { name: 'i', type: 'int64' },
      { name: 'f', type: 'float64' },
      { name: 'ok', type: 'boolean' },
    ]

    const body = await render(columns, [[[2n ** 62n + 1n, 3, false]]], 'csv')

    assert.equal(body, 'i,f,ok\n4611686018427387905,3.0,false\n')
  })
})

describe('writeQueryResult as pretty', () => {
  it('draws an ASCII table without a trailing newline, nulls as blank cells', async () => {
    const body = await render(cpuColumns, [cpuRows.slice(0, 1), cpuRows.slice(1)], 'pretty')

    assert.equal(
      body,
      [
        '+------+-------------------------------+-------+',
        '| host | time                          | usage |',
        '+------+-------------------------------+-------+',
        '| a    | 1970-01-01T00:00:00           | 1.0   |',
        '|      | 1970-01-01T00:00:00.000000155 | 0.5   |',
        '| b    | 1970-01-01T00:00:00.001       |       |',
        '+------+-------------------------------+-------+',
      ].join('\n'),
    )
  })

  it('keeps the header between borders when there are no rows', async () => {
    const body = await render(cpuColumns.slice(0, 1), [], 'pretty')

    assert.equal(body, ['+------+', '| host |', '+------+', '+------+'].join('\n'))
  })

  it('spreads a value with line breaks over several lines of its row', async () => {
    const columns: ResultColumn[] = [
      { name: 'note', type: 'string' },
      { name: 'n', type: 'int64' },
    ]

    const body = await render(columns, [[['one\ntwo', 7n]]], 'pretty')

    assert.equal(
      body,
      [
        '+------+---+',
        '| note | n |',
        '+------+---+',
        '| one  | 7 |',
        '| two  |   |',
        '+------+---+',
      ].join('\n'),
    )
  })
})

describe('writeQueryResult while streaming', () => {
  it('hands each batch to the sink before reading the next one', async () => {
    const events: string[] = []
    const sink: ResultSink = {
      write: (text) => {
        events.push(`write ${text.trim()}`)
        return Promise.resolve()
      },
    }
    const result = resultOf(cpuColumns, [cpuRows.slice(0, 1), cpuRows.slice(1, 2)], events)

    await writeQueryResult(result, 'jsonl', sink)

    assert.deepEqual(events, [
      'read',
      'write {"host":"a","time":"1970-01-01T00:00:00","usage":1.0}',
      'read',
      'write {"time":"1970-01-01T00:00:00.000000155","usage":0.5}',
      'read',
    ])
  })

  it('waits for a slow sink before reading on', async () => {
    let pending = 0
    const sink: ResultSink = {
      write: async () => {
        pending++
        await new Promise((resolve) => setTimeout(resolve, 5))
        pending--
      },
    }
    const events: string[] = []
    const result = resultOf(cpuColumns, [cpuRows, cpuRows, cpuRows], events, () => pending)

    await writeQueryResult(result, 'csv', sink)

    assert.deepEqual(events, ['read 0', 'read 0', 'read 0', 'read 0'])
  })

  it('stops reading and fails with ERR_QUERY_CANCELLED when the signal aborts', async () => {
    const controller = new AbortController()
    const events: string[] = []
    const sink: ResultSink = {
      write: () => {
        controller.abort()
        return Promise.resolve()
      },
    }
    const result = resultOf(cpuColumns, [cpuRows, cpuRows, cpuRows], events)

    await assert.rejects(writeQueryResult(result, 'json', sink, controller.signal), (error) =>
      isFluxgateError(error, 'ERR_QUERY_CANCELLED'),
    )

    assert.deepEqual(events, ['read', 'read', 'closed'])
  })

  it('closes the batches when the sink fails', async () => {
    const events: string[] = []
    const sink: ResultSink = {
      write: () => Promise.reject(new Error('gone')),
    }

    await assert.rejects(writeQueryResult(resultOf(cpuColumns, [cpuRows], events), 'csv', sink), {
      message: 'gone',
    })

    assert.deepEqual(events, ['read', 'closed'])
  })
})

async function render(
  columns: ResultColumn[],
  batches: Row[][],
  format: TextQueryFormat,
): Promise<string> {
  let body = ''
  const sink: ResultSink = {
    write: (text) => {
      body += text
      return Promise.resolve()
    },
  }

  await writeQueryResult(resultOf(columns, batches), format, sink)
  return body
}

/** A result whose batches record each read, and `closed` when reading stops before the end. */
function resultOf(
  columns: ResultColumn[],
  batches: Row[][],
  events: string[] = [],
  pendingWrites?: () => number,
): QueryResult {
  const read = (): number =>
    events.push(pendingWrites === undefined ? 'read' : `read ${pendingWrites()}`)

  async function* produce(): AsyncGenerator<ResultBatch> {
    let exhausted = false
    try {
      for (const rows of batches) {
        await setImmediate()
        read()
        yield batchOf(columns, rows)
      }
      read()
      exhausted = true
    } finally {
      if (!exhausted) events.push('closed')
    }
  }

  return { columns, batches: produce() }
}

function batchOf(columns: ResultColumn[], rows: Row[]): ResultBatch {
  return {
    rowCount: rows.length,
    columns: columns.map((_, index) => rows.map((row) => row[index] ?? null)),
  }
}
