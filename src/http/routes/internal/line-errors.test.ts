import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { LineError } from '../../../lineprotocol/index.js'
import { partialWriteStatus, toWireLineError } from './line-errors.js'

function refused(message: string, originalLine = 'cpu v='): LineError {
  return { lineNumber: 1, message, originalLine }
}

function wireLine(originalLine: string): string {
  return toWireLineError(refused('No fields were provided', originalLine)).original_line
}

describe('toWireLineError', () => {
  it('renders the reference keys in order: error_message, line_number, original_line', () => {
    const wire = toWireLineError({
      lineNumber: 2,
      message: 'No fields were provided',
      originalLine: 'cpu,host=a val= 123',
    })

    assert.deepEqual(Object.keys(wire), ['error_message', 'line_number', 'original_line'])
    assert.equal(
      JSON.stringify(wire),
      '{"error_message":"No fields were provided","line_number":2,"original_line":"cpu,host=a val= 123"}',
    )
  })

  it('keeps a line of up to 20 bytes whole', () => {
    assert.equal(wireLine(''), '')
    assert.equal(wireLine('a'.repeat(20)), 'a'.repeat(20))
    assert.equal(wireLine('a'.repeat(18) + 'é'), 'a'.repeat(18) + 'é')
  })

  it('cuts a longer line to its first 20 bytes', () => {
    assert.equal(wireLine('cpu,host=server01 usage=0.5 1708473600'), 'cpu,host=server01 us')
  })

  it('cuts before a character that would straddle the 20th byte', () => {
    assert.equal(wireLine('a'.repeat(19) + 'é'), 'a'.repeat(19))
    assert.equal(wireLine('a'.repeat(18) + '€x'), 'a'.repeat(18))
    assert.equal(wireLine('a'.repeat(17) + '🌡x'), 'a'.repeat(17))
    assert.equal(wireLine('a'.repeat(16) + '🌡x'), 'a'.repeat(16) + '🌡')
  })

  it('cuts a line of only multi-byte characters on a character boundary', () => {
    assert.equal(wireLine('é'.repeat(11)), 'é'.repeat(10))
    assert.equal(wireLine('€'.repeat(7)), '€'.repeat(6))
  })

  it('leaves the message untouched however long it is', () => {
    const message = `Could not parse entire line. Found trailing content: \`${'x'.repeat(40)}\``

    assert.equal(toWireLineError(refused(message)).error_message, message)
  })
})

describe('partialWriteStatus', () => {
  it('answers 400 for ordinary refusals', () => {
    assert.equal(partialWriteStatus([refused('No fields were provided')]), 400)
    assert.equal(partialWriteStatus([]), 400)
  })

  it('answers 422 when a table, column or database limit refused a line', () => {
    const limits = [
      'Update to schema would exceed number of tables limit: attempted to create table but already have 2000 table(s) (limit: 2000)',
      'Update to schema would exceed number of columns per table limit of 500 columns',
      'Adding a new database would exceed limit of 5 databases',
    ]
    for (const message of limits) {
      assert.equal(partialWriteStatus([refused('No fields were provided'), refused(message)]), 422)
    }
  })

  it('looks only at the start of the message', () => {
    const quoted = "invalid column type for column 'Update to schema would exceed number of'"

    assert.equal(partialWriteStatus([refused(quoted)]), 400)
  })
})
