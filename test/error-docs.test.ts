import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'

import { errorCodes } from '../src/errors/index.js'
import { errorRegistry } from '../src/http/index.js'

describe('docs/errors.md', () => {
  it('lists every error code with the status and body shape of the registry', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')
    const rows = new Map(
      [
        ...doc.matchAll(
          /^\|\s*`(ERR_[A-Z0-9_]+)`\s*\|\s*(\d+)\s*\|\s*(text|json|spaced-json)\s*\|/gm,
        ),
      ].map((m) => [m[1], [Number(m[2]), m[3]]]),
    )

    for (const code of errorCodes) {
      const { status, shape } = errorRegistry[code]
      assert.deepEqual(rows.get(code), [status, shape], `${code} in docs/errors.md`)
    }
    assert.equal(rows.size, errorCodes.length)
  })
})
