import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'

import { watchPrincipal } from './principal-watch.js'

describe('watchPrincipal', () => {
  it('checks at each interval until stopped', async () => {
    let checks = 0
    const stop = watchPrincipal(
      () => Promise.resolve(void checks++),
      10,
      () => assert.fail('refused'),
    )

    await sleep(55)
    stop()
    const seen = checks
    await sleep(30)

    assert.ok(seen >= 3, `${seen} checks`)
    assert.equal(checks, seen)
  })

  it('reports the first refusal once and stops checking', async () => {
    let checks = 0
    const refusals: unknown[] = []
    const revoked = new Error('revoked')
    watchPrincipal(
      () => (++checks >= 2 ? Promise.reject(revoked) : Promise.resolve()),
      10,
      (error) => refusals.push(error),
    )

    await sleep(80)

    assert.deepEqual(refusals, [revoked])
    assert.equal(checks, 2)
  })
})
