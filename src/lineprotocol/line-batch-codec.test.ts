import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { packLineBatch, parseLineBatch, unpackLineBatch } from './index.js'
import type { LineBatch } from './index.js'

// The parts of a batch that make up its content, as a plain object to compare.
function contentOf(batch: LineBatch): Record<string, unknown> {
  return {
    text: batch.text,
    lineCount: batch.lineCount,
    measurements: [...batch.measurements],
    tagStarts: [...batch.tagStarts],
    tagKeys: [...batch.tagKeys],
    tagValues: [...batch.tagValues],
    fieldStarts: [...batch.fieldStarts],
    fieldKeys: [...batch.fieldKeys],
    fieldTypes: [...batch.fieldTypes],
    fieldValues: [...batch.fieldValues],
    timestamps: [...batch.timestamps],
    lineNumbers: [...batch.lineNumbers],
    lineStarts: [...batch.lineStarts],
    lineEnds: [...batch.lineEnds],
    errors: batch.errors.map((error) => ({ ...error })),
  }
}

function roundTrip(text: string): LineBatch {
  return unpackLineBatch(packLineBatch(parseLineBatch(text)), text)
}

describe('packLineBatch and unpackLineBatch', () => {
  const batches = {
    'every field type': 'm,t=a f=1.5,i=-2i,u=18446744073709551615u,s="x y",b=t,c=false 7',
    'extreme numbers': 'm i=-9223372036854775808i,j=9223372036854775807i,f=-0.0,g=1e308 -5',
    'lines without timestamps': 'cpu,host=a u=1\ncpu,host=b u=2 9\ncpu u=3',
    'escapes and quoted newlines': 'c\\,p\\ u,ho\\=st=a\\ b f\\ 1="line\none",g="q\\"" 1\nm x=1 2',
    'bad lines among good ones': 'cpu u=1 1\ncpu\n# comment\n\nmem free=2u 3\ncpu u=oops 4',
    'a timestamp beyond 64 bits': 'cpu u=1 9223372036854775808\ncpu u=2 9223372036854775807',
    'nothing but errors': 'cpu\nmem',
    'an empty text': '',
    'unicode names and values': 'tempé,lieu=Zürich °C=21.5,note="☀️" 1',
  }

  for (const [name, text] of Object.entries(batches)) {
    it(`gives back the same batch: ${name}`, () => {
      assert.deepEqual(contentOf(roundTrip(text)), contentOf(parseLineBatch(text)))
    })
  }

  it('keeps equal names equal after the trip, sharing one dictionary entry', () => {
    const packed = packLineBatch(parseLineBatch('cpu,host=a u=1 1\ncpu,host=a u=2 2'))

    assert.deepEqual(packed?.dictionary, ['cpu', 'host', 'a', 'u'])
  })
})
