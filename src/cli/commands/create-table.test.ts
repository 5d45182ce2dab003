import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { InvalidArgumentError } from 'commander'

import { parseFields, parseTags } from './create-table.js'

describe('create table options', () => {
  it('reads --tags as a trimmed comma list', () => {
    assert.deepEqual(parseTags(' host, region ,'), ['host', 'region'])
  })

  it('refuses --tags that names no tag', () => {
    assert.throws(() => parseTags(' , '), InvalidArgumentError)
  })

  it('reads --fields as name:type pairs', () => {
    assert.deepEqual(parseFields('usage:float64,count:int64, ok:bool'), [
      { name: 'usage', type: 'float64' },
      { name: 'count', type: 'int64' },
      { name: 'ok', type: 'bool' },
    ])
  })

  it('refuses a field without a type, without a name, or with an unknown type', () => {
    for (const value of ['usage', ':int64', 'usage:double']) {
      assert.throws(() => parseFields(value), InvalidArgumentError, value)
    }
  })
})
