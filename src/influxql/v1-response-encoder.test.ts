import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { memoryResult } from './influxql-answer.js'
import type { InfluxqlAnswer } from './influxql-answer.js'
import { encodeV1Answer, v1StatementError } from './v1-response-encoder.js'
import type { V1Options } from './v1-response-encoder.js'

const second = 1_000_000_000n

function answer(): InfluxqlAnswer {
  const columns = [
    { name: 'iox::measurement', type: 'string' as const },
    { name: 'time', type: 'timestamp' as const },
    { name: 'host', type: 'string' as const },
    { name: 'mean', type: 'float64' as const },
  ]
  const rows = [
    ['cpu', 0n, 'a', 1.5],
    ['cpu', 60n * second + 500_000_000n, 'a', null],
    ['cpu', 0n, 'b,c', 2],
  ]
  return { kind: 'select', result: memoryResult(columns, rows), seriesTags: ['host'] }
}

const json: V1Options = { format: 'json', epoch: undefined, pretty: false, chunkSize: undefined }

describe('encodeV1Answer', () => {
  it('writes one series per tag set with RFC 3339 times', async () => {
    assert.deepEqual(await encodeV1Answer(answer(), json), [
      '{"results":[{"statement_id":0,"series":[' +
        '{"name":"cpu","tags":{"host":"a"},"columns":["time","mean"],"values":[["1970-01-01T00:00:00Z",1.5],["1970-01-01T00:01:00.5Z",null]]},' +
        '{"name":"cpu","tags":{"host":"b,c"},"columns":["time","mean"],"values":[["1970-01-01T00:00:00Z",2]]}]}]}',
    ])
  })

  it('converts times to the epoch unit', async () => {
    const [text = ''] = await encodeV1Answer(answer(), { ...json, epoch: 'ms' })
    assert.match(text, /"values":\[\[0,1\.5\],\[60500,null\]\]/)
  })

  it('splits values into chunks marked partial except the last', async () => {
    const chunks = await encodeV1Answer(answer(), { ...json, chunkSize: 1, epoch: 's' })
    assert.deepEqual(
      chunks.map((chunk) => JSON.parse(chunk) as unknown),
      [
        {
          results: [
            {
              statement_id: 0,
              series: [
                {
                  name: 'cpu',
                  tags: { host: 'a' },
                  columns: ['time', 'mean'],
                  values: [[0, 1.5]],
                  partial: true,
                },
              ],
              partial: true,
            },
          ],
        },
        {
          results: [
            {
              statement_id: 0,
              series: [
                {
                  name: 'cpu',
                  tags: { host: 'a' },
                  columns: ['time', 'mean'],
                  values: [[60, null]],
                },
              ],
              partial: true,
            },
          ],
        },
        {
          results: [
            {
              statement_id: 0,
              series: [
                { name: 'cpu', tags: { host: 'b,c' }, columns: ['time', 'mean'], values: [[0, 2]] },
              ],
            },
          ],
        },
      ],
    )
    assert.ok(chunks.every((chunk) => chunk.endsWith('}\n')))
  })

  it('writes CSV with name, tags and integer times', async () => {
    assert.deepEqual(await encodeV1Answer(answer(), { ...json, format: 'csv' }), [
      'name,tags,time,mean\ncpu,host=a,0,1.5\ncpu,host=a,60500000000,\ncpu,"host=b,c",0,2\n',
    ])
  })

  it('indents pretty JSON and writes statement errors in the v1 shape', async () => {
    const [pretty = ''] = await encodeV1Answer(answer(), { ...json, pretty: true })
    assert.match(pretty, /^\{\n {4}"results": \[\n {8}\{\n {12}"statement_id": 0,/)
    assert.equal(v1StatementError('boom', false), '{"results":[{"statement_id":0,"error":"boom"}]}')
  })
})
