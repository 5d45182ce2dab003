import { timingSafeEqual } from 'node:crypto'

import type { Clock } from '../../shared/index.js'
import { randomSecret, sha256 } from '../internal/secrets.js'

/** One browser sign-in between the redirect to the provider and its callback. */
export interface PendingSignIn {
  /** Sent to the provider and checked on return (CSRF of the callback). */
  state: string
  /** Sent to the provider; the ID token must carry it back (replay of an ID token). */
  nonce: string
  /** The PKCE verifier; only its S256 challenge leaves the server. */
  codeVerifier: string
  /** The value of the browser's binding cookie: the callback must come from the same browser. */
  browserBinding: string
  /** A path on this server to send the browser to afterwards. */
  returnTo: string
  startedAt: number
}

/** Codes live at most 10 minutes at the provider (OA-3); a sign-in waits no longer. */
export const pendingSignInTtlMs = 10 * 60 * 1000
/** Bounds the memory a flood of started sign-ins can take; the oldest are dropped first. */
const maxPending = 10_000
/** 32 random bytes are 43 base64url characters: a valid PKCE verifier as well. */
const secretBytes = 32

/**
 * The browser sign-ins started and not yet finished, in memory and each usable once. Every
 * secret is drawn fresh from the CSPRNG, 256 bits each (PK-5). A restart forgets them, which
 * costs a user one more click.
 */
export class PendingSignIns {
  readonly #clock: Clock
  readonly #byState = new Map<string, PendingSignIn>()

  constructor(clock: Clock) {
    this.#clock = clock
  }

  open(returnTo: string): PendingSignIn {
    this.#dropExpired()
    if (this.#byState.size >= maxPending) this.#dropOldest()

    const pending: PendingSignIn = {
      state: randomSecret(secretBytes),
      nonce: randomSecret(secretBytes),
      codeVerifier: randomSecret(secretBytes),
      browserBinding: randomSecret(secretBytes),
      returnTo,
      startedAt: this.#clock.now().getTime(),
    }
    this.#byState.set(pending.state, pending)
    return pending
  }

  /**
   * Removes and returns the sign-in `state` names, when it is still pending and `browserBinding`
   * is its browser's. A wrong browser spends the state too: a code seen by two browsers is
   * redeemed by neither.
   */
  take(state: string, browserBinding: string | undefined): PendingSignIn | undefined {
    const pending = this.#byState.get(state)
    if (pending === undefined) return undefined

    this.#byState.delete(state)
    const fresh = this.#clock.now().getTime() - pending.startedAt < pendingSignInTtlMs
    if (!fresh || !sameSecret(pending.browserBinding, browserBinding)) return undefined
    return pending
  }

  #dropExpired(): void {
    const oldestAllowed = this.#clock.now().getTime() - pendingSignInTtlMs
    for (const [state, pending] of this.#byState) {
      // Insertion order is start order: the first fresh one ends the sweep.
      if (pending.startedAt >= oldestAllowed) return
      this.#byState.delete(state)
    }
  }

  #dropOldest(): void {
    const oldest = this.#byState.keys().next().value
    if (oldest !== undefined) this.#byState.delete(oldest)
  }
}

/** The S256 challenge of a PKCE verifier (RFC 7636 §4.2). */
export function pkceChallenge(codeVerifier: string): string {
  return sha256(codeVerifier, 'base64url')
}

function sameSecret(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false

  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}
