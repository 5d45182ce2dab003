import { hash, verify } from '@node-rs/argon2'

import { FluxgateError } from '../errors/index.js'
import { normalizePassword } from './password-policy.js'

/** OWASP's argon2id setting m=19456 KiB, t=2, p=1, pinned rather than left to defaults. */
export const argon2Parameters = {
  // 2 is Algorithm.Argon2id: a const enum, which verbatimModuleSyntax cannot import.
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const

/** Longer input is refused before hashing, so a huge password costs nothing. */
const maxPasswordBytes = 1024

/**
 * Hashes and verifies passwords with argon2id off the event loop. At most `concurrency` hashes
 * run at once, so a storm of logins cannot take every pool thread from token checks and queries.
 */
export class PasswordHasher {
  readonly #slots: Semaphore
  #dummyHash: Promise<string> | undefined

  constructor(concurrency = 4) {
    this.#slots = new Semaphore(concurrency)
  }

  /** A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt. */
  async hash(password: string): Promise<string> {
    const input = checkedInput(password)
    return this.#slots.run(() => hash(input, argon2Parameters))
  }

  /**
   * Verifies `password` against `stored`; with no stored hash (an unknown user) a dummy hash is
   * verified instead, so both answers take the same time.
   */
  async verify(stored: string | undefined, password: string): Promise<boolean> {
    const input = checkedInput(password)
    const target = stored ?? (await this.#dummy())
    const matches = await this.#slots.run(() => verify(target, input).catch(() => false))
    return stored !== undefined && matches
  }

  /** True when `stored` was made with weaker parameters than today's, so a login re-hashes. */
  needsRehash(stored: string): boolean {
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored)
    if (match === null) return true
    const [, m, t] = match.map(Number)
    return (m ?? 0) < argon2Parameters.memoryCost || (t ?? 0) < argon2Parameters.timeCost
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= hash('fluxgate dummy password for unknown users', argon2Parameters)
    return this.#dummyHash
  }
}

function checkedInput(password: string): string {
  const normalized = normalizePassword(password)
  if (Buffer.byteLength(normalized) > maxPasswordBytes) {
    throw new FluxgateError(
      'ERR_BAD_REQUEST',
      `the password may have at most ${maxPasswordBytes} bytes`,
    )
  }
  return normalized
}

/** Lets at most `size` tasks run at once; the others wait their turn in order. */
class Semaphore {
  readonly #waiting: Array<() => void> = []
  #free: number

  constructor(size: number) {
    this.#free = size
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--
    else await new Promise<void>((resolve) => this.#waiting.push(resolve))

    try {
      return await task()
    } finally {
      const next = this.#waiting.shift()
      if (next === undefined) this.#free++
      else next()
    }
  }
}
