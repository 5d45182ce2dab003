import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { InvalidArgumentError } from 'commander'

import { parseByteSize, parsePrecision } from './write.js'

describe('parsePrecision', () => {
  it('accepts auto, s, ms, us and ns', () => {
    for (const unit of ['auto', 's', 'ms', 'us', 'ns']) assert.equal(parsePrecision(unit), unit)
  })

  it('names the unit it does not recognise', () => {
    assert.throws(() => parsePrecision('fake'), {
      name: InvalidArgumentError.name,
      message: 'unrecognized precision unit: fake',
    })
  })
})

describe('parseByteSize', () => {
  it('reads bare bytes and binary units', () => {
    assert.equal(parseByteSize('1048576'), 1048576)
    assert.equal(parseByteSize('512KiB'), 512 * 1024)
    assert.equal(parseByteSize('10mb'), 10 * 1024 * 1024)
    assert.equal(parseByteSize('1G'), 1024 ** 3)
  })

  it('refuses zero, negative, fractional and unknown sizes', () => {
    for (const value of ['0', '-1', '1.5', '10 parsecs', '']) {
      assert.throws(() => parseByteSize(value), InvalidArgumentError, value)
    }
  })
})
