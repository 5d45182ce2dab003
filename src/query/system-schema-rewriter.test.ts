import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { rewriteSystemSchema } from './system-schema-rewriter.js'

describe('rewriteSystemSchema', () => {
  it('points system.<table> at the system-table schema, in any case or quoting', () => {
    assert.equal(
      rewriteSystemSchema('SELECT * FROM system.tokens'),
      'SELECT * FROM iox_system.tokens',
    )
    assert.equal(
      rewriteSystemSchema('select * from SYSTEM."tokens"'),
      'select * from iox_system."tokens"',
    )
    assert.equal(
      rewriteSystemSchema('SELECT * FROM "system".tokens'),
      'SELECT * FROM iox_system.tokens',
    )
  })

  it('leaves strings, comments, other names and qualified references alone', () => {
    for (const sql of [
      "SELECT 'system.tokens'",
      'SELECT 1 -- system.tokens',
      'SELECT system_load FROM cpu',
      'SELECT * FROM memory.system.tokens',
      'SELECT system FROM t',
    ]) {
      assert.equal(rewriteSystemSchema(sql), sql)
    }
  })
})
