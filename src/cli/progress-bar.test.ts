import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { memoryIo } from './memory-io.js'
import { progressBar, renderProgress } from './progress-bar.js'

describe('progressBar', () => {
  it('redraws one line on a terminal and ends it once', () => {
    const mem = memoryIo({ stderrIsTTY: true })
    const bar = progressBar(mem.io.stderr, 4 * 1024 * 1024)

    bar.advance(2 * 1024 * 1024)
    bar.finish()
    bar.finish()

    const drawn = mem.stderr()
    assert.ok(drawn.includes('\r[###############---------------]  50%  2.0 MiB / 4.0 MiB'))
    assert.equal(drawn.split('\n').length, 2)
  })

  it('draws nothing when stderr is not a terminal', () => {
    const mem = memoryIo({ stderrIsTTY: false })
    const bar = progressBar(mem.io.stderr, 1000)

    bar.advance(500)
    bar.finish()

    assert.equal(mem.stderr(), '')
  })

  it('never shows more than the total', () => {
    assert.equal(renderProgress(2000, 1000), `[${'#'.repeat(30)}] 100%  1000 B / 1000 B`)
  })
})
