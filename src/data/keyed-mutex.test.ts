import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { KeyedMutex } from './keyed-mutex.js'

/** A promise with its resolve function, to hold a section open until the test lets it go. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { opened, open }
}

/** Lets every already queued promise callback run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

describe('KeyedMutex', () => {
  it('runs sections of one key one after the other, in call order', async () => {
    const mutex = new KeyedMutex()
    const events: string[] = []
    const first = gate()

    const a = mutex.run('db', async () => {
      events.push('a start')
      await first.opened
      events.push('a end')
    })
    const b = mutex.run('db', async () => {
      events.push('b start')
      await Promise.resolve()
      events.push('b end')
    })
    const c = mutex.run('db', () => {
      events.push('c')
      return Promise.resolve()
    })

    await settle()
    assert.deepEqual(events, ['a start'])

    first.open()
    await Promise.all([a, b, c])
    assert.deepEqual(events, ['a start', 'a end', 'b start', 'b end', 'c'])
  })

  it('runs sections of different keys at the same time', { timeout: 5_000 }, async () => {
    const mutex = new KeyedMutex()
    const held = gate()
    let heldDone = false

    const slow = mutex.run('one', async () => {
      await held.opened
      heldDone = true
    })
    const other = await mutex.run('two', () => Promise.resolve('two ran'))

    assert.equal(other, 'two ran')
    assert.equal(heldDone, false)

    held.open()
    await slow
    assert.equal(heldDone, true)
  })

  it('hands each caller the value of its own section', async () => {
    const mutex = new KeyedMutex()

    const results = await Promise.all([
      mutex.run('db', () => Promise.resolve(1)),
      mutex.run('db', () => Promise.resolve('two')),
    ])

    assert.deepEqual(results, [1, 'two'])
  })

  it('rejects the caller of a failing section and still runs the next one', async () => {
    const mutex = new KeyedMutex()
    const failing = mutex.run('db', () => Promise.reject(new Error('disk full')))
    const next = mutex.run('db', () => Promise.resolve('next ran'))

    await assert.rejects(failing, { message: 'disk full' })
    assert.equal(await next, 'next ran')
  })

  it('keeps serving a key after a section threw synchronously', async () => {
    const mutex = new KeyedMutex()
    const throwing = mutex.run('db', () => {
      throw new Error('bad input')
    })

    await assert.rejects(throwing, { message: 'bad input' })
    assert.equal(await mutex.run('db', () => Promise.resolve('after')), 'after')
  })

  it('starts a later section only after a failed one has settled', async () => {
    const mutex = new KeyedMutex()
    const held = gate()
    const events: string[] = []

    const failing = mutex.run('db', async () => {
      await held.opened
      events.push('failed')
      throw new Error('boom')
    })
    const next = mutex.run('db', () => {
      events.push('next')
      return Promise.resolve()
    })

    await settle()
    assert.deepEqual(events, [])

    held.open()
    await assert.rejects(failing)
    await next
    assert.deepEqual(events, ['failed', 'next'])
  })
})
