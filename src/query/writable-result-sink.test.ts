import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, it } from 'node:test'
import { isFluxgateError } from '../errors/index.js'
import { writableSink } from './writable-result-sink.js'

describe('writableSink', () => {
  it('delivers every piece in order', async () => {
    const stream = slowStream(1)
    const sink = writableSink(stream.writable)

    for (let piece = 0; piece < 50; piece++) await sink.write(`piece ${piece};`)
    await endOf(stream.writable)

    assert.equal(stream.received(), Array.from({ length: 50 }, (_, n) => `piece ${n};`).join(''))
  })

  it('waits for drain while the stream buffer is full', async () => {
    const stream = slowStream(1)
    const sink = writableSink(stream.writable)
    let mostBuffered = 0

    for (let piece = 0; piece < 20; piece++) {
      await sink.write('0123456789')
      mostBuffered = Math.max(mostBuffered, stream.writable.writableLength)
    }

    assert.ok(mostBuffered <= 16, `buffered ${mostBuffered} bytes past a 16-byte mark`)
  })

  it('rejects with ERR_QUERY_CANCELLED once the stream is destroyed', async () => {
    const stream = slowStream(1)
    stream.writable.destroy()

    await assert.rejects(writableSink(stream.writable).write('late'), (error) =>
      isFluxgateError(error, 'ERR_QUERY_CANCELLED'),
    )
  })

  it('rejects a write waiting for drain when the stream closes instead', async () => {
    const stream = slowStream(1_000)
    const sink = writableSink(stream.writable)

    const waiting = sink.write('x'.repeat(64))
    stream.writable.destroy()

    await assert.rejects(waiting, (error) => isFluxgateError(error, 'ERR_QUERY_CANCELLED'))
  })
})

/** A writable with a 16-byte buffer that takes `delayMs` for each chunk. */
function slowStream(delayMs: number): { writable: Writable; received: () => string } {
  let text = ''
  const writable = new Writable({
    highWaterMark: 16,
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      text += chunk
      setTimeout(done, delayMs)
    },
  })
  return { writable, received: () => text }
}

function endOf(writable: Writable): Promise<void> {
  return new Promise((resolve) => writable.end(resolve))
}
