/** The source of the current time. Tests pass a frozen clock instead of sleeping. */
export interface Clock {
  /** The current instant as a Date (millisecond precision). */
  now(): Date
  /** The current instant in nanoseconds since the Unix epoch. */
  nowNanos(): bigint
}

const startWallNanos = BigInt(Date.now()) * 1_000_000n
const startMonotonic = process.hrtime.bigint()

/** The real clock: wall time at start plus a monotonic offset, so nanoseconds never repeat. */
export const systemClock: Clock = {
  now: () => new Date(),
  nowNanos: () => startWallNanos + (process.hrtime.bigint() - startMonotonic),
}

/** A clock that stands still until advanced; for tests. */
export interface FrozenClock extends Clock {
  advance(by: { seconds?: number; milliseconds?: number }): void
}

/** Creates a clock frozen at `iso`. */
export function frozenClock(iso: string): FrozenClock {
  let nanos = BigInt(Date.parse(iso)) * 1_000_000n
  return {
    now: () => new Date(Number(nanos / 1_000_000n)),
    nowNanos: () => nanos,
    advance({ seconds = 0, milliseconds = 0 }) {
      nanos += BigInt(Math.round((seconds * 1000 + milliseconds) * 1_000_000))
    },
  }
}
