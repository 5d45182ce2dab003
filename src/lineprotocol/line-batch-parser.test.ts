import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { fieldValueOf, originalLineOf, parseLineBatch } from './index.js'
import type { LineBatch } from './index.js'

function fieldsOf(batch: LineBatch, line: number): Array<[string, unknown]> {
  const fields: Array<[string, unknown]> = []
  const end = batch.fieldStarts[line + 1] ?? 0
  for (let field = batch.fieldStarts[line] ?? end; field < end; field++) {
    fields.push([batch.fieldKeys[field] ?? '', fieldValueOf(batch, field)])
  }
  return fields
}

describe('parseLineBatch', () => {
  it('lays the lines out column by column, each list of tags and fields ending with its end', () => {
    const batch = parseLineBatch(
      'cpu,host=a,region=eu u=0.5,n=3i 10\nmem free=7u\ncpu,host=b u=1 10',
    )

    assert.equal(batch.lineCount, 3)
    assert.deepEqual(batch.measurements, ['cpu', 'mem', 'cpu'])
    assert.deepEqual(batch.tagStarts, [0, 2, 2, 3])
    assert.deepEqual(batch.tagKeys, ['host', 'region', 'host'])
    assert.deepEqual(batch.tagValues, ['a', 'eu', 'b'])
    assert.deepEqual(batch.fieldStarts, [0, 2, 3, 4])
    assert.deepEqual(batch.fieldTypes, ['float', 'integer', 'uinteger', 'float'])
    assert.deepEqual(batch.fieldValues, [0.5, 3n, 7n, 1])
    assert.deepEqual(batch.timestamps, [10n, undefined, 10n])
    assert.deepEqual(batch.lineNumbers, [1, 2, 3])
    assert.equal(originalLineOf(batch, 1), 'mem free=7u')
  })

  it('gives each field its typed value', () => {
    const batch = parseLineBatch('m f=1.5,i=-2i,u=3u,s="x",b=t')

    assert.deepEqual(fieldsOf(batch, 0), [
      ['f', { type: 'float', value: 1.5 }],
      ['i', { type: 'integer', value: -2n }],
      ['u', { type: 'uinteger', value: 3n }],
      ['s', { type: 'string', value: 'x' }],
      ['b', { type: 'boolean', value: true }],
    ])
  })

  it('leaves nothing of a refused line in the columns', () => {
    const batch = parseLineBatch('m,t=a f=1 1\nm,t=b f=1,g=2,h= 2\nm,t=c f=3 3')

    assert.deepEqual(batch.tagValues, ['a', 'c'])
    assert.deepEqual(batch.fieldKeys, ['f', 'f'])
    assert.deepEqual(batch.fieldStarts, [0, 1, 2])
    assert.deepEqual(
      batch.errors.map((error) => error.lineNumber),
      [2],
    )
    assert.deepEqual(batch.lineNumbers, [1, 3])
  })

  it('keeps the columns whole when a quoted newline makes a line longer than first read', () => {
    const batch = parseLineBatch('m,t=a s="first\nsecond",n=1i 1\nm,t=b n=2i 2')

    assert.deepEqual(batch.errors, [])
    assert.deepEqual(batch.tagValues, ['a', 'b'])
    assert.deepEqual(fieldsOf(batch, 0), [
      ['s', { type: 'string', value: 'first\nsecond' }],
      ['n', { type: 'integer', value: 1n }],
    ])
    assert.equal(originalLineOf(batch, 0), 'm,t=a s="first\nsecond",n=1i 1')
    assert.deepEqual(batch.fieldStarts, [0, 2, 3])
  })

  it('reads lines that repeat a timestamp to the same value, and a new one after them', () => {
    const batch = parseLineBatch('m f=1 1700000000000000000\nm f=2 1700000000000000000\nm f=3 -5')

    assert.deepEqual(batch.timestamps, [1700000000000000000n, 1700000000000000000n, -5n])
  })
})
