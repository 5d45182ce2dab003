import { frozenClock } from '../../src/shared/index.js'

/** 2026-03-01T09:00:00Z in nanoseconds: the first point of the fixture. */
export const t0 = 1_772_355_600_000_000_000n
const minute = 60_000_000_000n

/** Nanoseconds `minutes` after t0, as line-protocol text. */
export const at = (minutes: number): string => (t0 + BigInt(minutes) * minute).toString()

/** RFC 3339 text of t0 plus `minutes`, as v1 prints it. */
export const rfc = (minutes: number): string =>
  new Date(Number((t0 + BigInt(minutes) * minute) / 1_000_000n)).toISOString().replace('.000Z', 'Z')

/** The v3 JSON time text of t0 plus `minutes`. */
export const v3Time = (minutes: number): string => rfc(minutes).replace('Z', '')

/** The clock of these tests: one hour after t0, so `now() - 1h` is t0. */
export const fixtureClock = () => frozenClock('2026-03-01T10:00:00Z')

/**
 * cpu: usage 1, 2, 3, 4, 6 at minutes 0, 1, 3, 4, 5 (hosts a, b, a, b, a); n 10, 20, 30, 60
 * where present (b has none at minute 4). weather: two cities with string and boolean fields.
 * future: a point an hour after the clock's now.
 */
export const fixtureLines = [
  `cpu,host=a,region=us usage=1,n=10i ${at(0)}`,
  `cpu,host=b,region=eu usage=2,n=20i ${at(1)}`,
  `cpu,host=a,region=us usage=3,n=30i ${at(3)}`,
  `cpu,host=b,region=eu usage=4 ${at(4)}`,
  `cpu,host=a,region=us usage=6,n=60i ${at(5)}`,
  `weather,city=paris temp=20.5,note="sunny",ok=true ${at(0)}`,
  `weather,city=oslo temp=-3.5,note="snow",ok=false ${at(1)}`,
  `future v=1 ${at(0)}`,
  `future v=2 ${at(120)}`,
  `odd a"b=7 ${at(0)}`,
].join('\n')
