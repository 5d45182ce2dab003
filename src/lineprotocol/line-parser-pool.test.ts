import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { LineParserPool, parseLineBatch } from './index.js'
import type { LineBatch } from './index.js'

function summaryOf(batch: LineBatch): unknown {
  return {
    lineCount: batch.lineCount,
    measurements: [...batch.measurements],
    tagValues: [...batch.tagValues],
    fieldValues: [...batch.fieldValues],
    timestamps: [...batch.timestamps],
    errors: batch.errors.map((error) => ({ ...error })),
    text: batch.text,
  }
}

const mixed = [
  'cpu,host=a usage=0.5,count=3i,ok=t,note="fine" 1700000000000000000',
  'cpu,host=b usage=oops 1700000000000000000',
  'mem free=7u',
].join('\n')

describe('LineParserPool', () => {
  it('parses on a thread of its own to the batch the parser gives here', async () => {
    const pool = new LineParserPool({ threads: 1, inlineBelow: 0 })
    try {
      const batch = await pool.parse(mixed)

      assert.deepEqual(summaryOf(batch), summaryOf(parseLineBatch(mixed)))
    } finally {
      await pool.close()
    }
  })

  it('answers concurrent texts each with its own batch', async () => {
    const pool = new LineParserPool({ threads: 2, inlineBelow: 0 })
    try {
      const texts = Array.from({ length: 20 }, (_, n) => `m,n=${n} v=${n}i ${n}`)
      const batches = await Promise.all(texts.map((text) => pool.parse(text)))

      assert.deepEqual(
        batches.map((batch) => batch.tagValues[0]),
        texts.map((_, n) => String(n)),
      )
    } finally {
      await pool.close()
    }
  })

  it('parses texts still in flight on the calling thread when closed, and later ones too', async () => {
    const pool = new LineParserPool({ threads: 1, inlineBelow: 0 })
    const inFlight = pool.parse(mixed)
    await pool.close()

    assert.deepEqual(summaryOf(await inFlight), summaryOf(parseLineBatch(mixed)))
    assert.equal((await pool.parse('m v=1')).lineCount, 1)
  })
})
