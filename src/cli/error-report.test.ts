import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { CommanderError } from 'commander'

import { InterruptedError, OutputClosedError, UsageError } from './cli-errors.js'
import { reportError } from './error-report.js'
import { ServerError } from './http-client.js'
import { memoryIo } from './memory-io.js'

describe('reportError', () => {
  it('lists the first 20 rejected lines and counts the rest', () => {
    const mem = memoryIo()
    const lines = Array.from({ length: 25 }, (_, i) => ({
      message: 'No fields were provided',
      lineNumber: i + 1,
      originalLine: `m${i}`,
    }))

    const code = reportError(new ServerError(400, 'partial write', lines), mem.io, false)

    const printed = mem.stderr().split('\n')
    assert.equal(code, 1)
    assert.equal(printed[0], 'error: partial write (HTTP 400)')
    assert.equal(printed[1], '  line 1: No fields were provided: m0')
    assert.equal(printed[20], '  line 20: No fields were provided: m19')
    assert.equal(printed[21], '  … and 5 more rejected lines')
  })

  it('maps usage errors to 2 and leaves commander messages to commander', () => {
    const usage = memoryIo()
    const parse = memoryIo()

    assert.equal(reportError(new UsageError('no database given'), usage.io, false), 2)
    assert.equal(usage.stderr(), 'error: no database given\n')
    assert.equal(
      reportError(new CommanderError(1, 'commander.unknownOption', 'x'), parse.io, false),
      2,
    )
    assert.equal(
      reportError(new CommanderError(0, 'commander.helpDisplayed', 'x'), parse.io, false),
      0,
    )
    assert.equal(parse.stderr(), '')
  })

  it('exits 130 after Ctrl-C and 0 after stdout closed, printing nothing', () => {
    const interrupted = new AbortController()
    interrupted.abort(new InterruptedError())
    const closed = new AbortController()
    closed.abort(new OutputClosedError())
    const ctrlC = memoryIo({ signal: interrupted.signal })
    const pipe = memoryIo({ signal: closed.signal })

    assert.equal(reportError(new Error('aborted'), ctrlC.io, false), 130)
    assert.equal(reportError(new Error('aborted'), pipe.io, false), 0)
    assert.equal(ctrlC.stderr() + pipe.stderr(), '')
  })

  it('paints the prefix red on a terminal unless NO_COLOR is set', () => {
    const color = memoryIo({ stderrIsTTY: true })
    const plain = memoryIo({ stderrIsTTY: true, env: { NO_COLOR: '1' } })

    reportError(new Error('boom'), color.io, false)
    reportError(new Error('boom'), plain.io, false)

    assert.equal(color.stderr(), '\u001b[31merror:\u001b[39m boom\n')
    assert.equal(plain.stderr(), 'error: boom\n')
  })

  it('cuts API tokens in a message down to their prefix', () => {
    const mem = memoryIo()
    const token = `apiv3_${'A-b_9'.repeat(17)}x`

    reportError(new Error(`bad value ${token} given`), mem.io, true)

    assert.ok(!mem.stderr().includes(token))
    assert.ok(mem.stderr().startsWith('error: bad value apiv3_… given\n'))
  })
})
