import type { Clock } from '../shared/index.js'

/** How many failures a key may have before it waits, and how long waits grow. */
export interface ThrottlePolicy {
  /** Failures allowed per username before each further attempt waits. */
  usernameFailures: number
  /** Failures allowed per client address, across usernames. */
  addressFailures: number
  /** The first wait; each further failure doubles it, up to `maxWaitSeconds`. */
  firstWaitSeconds: number
  maxWaitSeconds: number
  /** Failures older than this are forgotten. */
  windowSeconds: number
}

export const defaultThrottlePolicy: ThrottlePolicy = {
  usernameFailures: 5,
  addressFailures: 20,
  firstWaitSeconds: 1,
  maxWaitSeconds: 900,
  windowSeconds: 900,
}

interface Failures {
  count: number
  lastAt: number
}

// Keys are dropped once their window has passed; the cap keeps a flood of made-up usernames
// from growing the map without end.
const maxKeys = 100_000

/**
 * Slows down password guessing, per username and per client address. A failure beyond the
 * allowance makes the next attempt wait, doubling with each further failure; a success clears
 * the username's count. The same counts apply whether the username exists or not, so the
 * throttle tells nothing about which accounts exist.
 */
export class LoginThrottle {
  readonly #policy: ThrottlePolicy
  readonly #clock: Clock
  readonly #usernames = new Map<string, Failures>()
  readonly #addresses = new Map<string, Failures>()

  constructor(clock: Clock, policy: ThrottlePolicy = defaultThrottlePolicy) {
    this.#clock = clock
    this.#policy = policy
  }

  /** Seconds to wait before `username` may try again from `address`; 0 when it may now. */
  waitSeconds(username: string, address: string): number {
    const byName = this.#wait(
      this.#usernames,
      username.toLowerCase(),
      this.#policy.usernameFailures,
    )
    const byAddress = this.#wait(this.#addresses, address, this.#policy.addressFailures)
    return Math.max(byName, byAddress)
  }

  recordFailure(username: string, address: string): void {
    this.#count(this.#usernames, username.toLowerCase())
    this.#count(this.#addresses, address)
  }

  recordSuccess(username: string): void {
    this.#usernames.delete(username.toLowerCase())
  }

  #wait(map: Map<string, Failures>, key: string, allowed: number): number {
    const failures = this.#current(map, key)
    if (failures === undefined || failures.count < allowed) return 0

    const { firstWaitSeconds, maxWaitSeconds } = this.#policy
    const wait = Math.min(maxWaitSeconds, firstWaitSeconds * 2 ** (failures.count - allowed))
    const waited = (this.#clock.now().getTime() - failures.lastAt) / 1000
    return Math.max(0, Math.ceil(wait - waited))
  }

  #count(map: Map<string, Failures>, key: string): void {
    const now = this.#clock.now().getTime()
    const failures = this.#current(map, key) ?? { count: 0, lastAt: now }
    map.delete(key)
    if (map.size >= maxKeys) this.#forgetOldest(map)
    map.set(key, { count: failures.count + 1, lastAt: now })
  }

  #current(map: Map<string, Failures>, key: string): Failures | undefined {
    const failures = map.get(key)
    if (failures === undefined) return undefined

    const age = (this.#clock.now().getTime() - failures.lastAt) / 1000
    if (age <= this.#policy.windowSeconds) return failures

    map.delete(key)
    return undefined
  }

  // Maps keep insertion order and a key is re-inserted on every failure: the first is the oldest.
  #forgetOldest(map: Map<string, Failures>): void {
    const oldest = map.keys().next()
    if (oldest.done !== true) map.delete(oldest.value)
  }
}
