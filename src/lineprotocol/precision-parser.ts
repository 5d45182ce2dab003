import type { Precision } from './types.js'

/** Which family of write endpoint a precision comes from: `/api/v3/write_lp`, or v1/v2. */
export type WriteApi = 'v3' | 'v1'

const explicitUnits: ReadonlyArray<readonly [name: string, precision: Precision]> = [
  ['s', 's'],
  ['second', 's'],
  ['ms', 'ms'],
  ['millisecond', 'ms'],
  ['us', 'us'],
  ['u', 'us'],
  ['microsecond', 'us'],
  ['ns', 'ns'],
  ['n', 'ns'],
  ['nanosecond', 'ns'],
]

const v1Names = new Map<string, Precision>(explicitUnits)
const v3Names = new Map<string, Precision>([['auto', 'auto'], ...explicitUnits])

/**
 * Reads the `precision` query parameter of a write. v3 accepts `auto` (the default) and
 * every unit by short or full name; v1 and v2 accept the same units but no `auto`, and
 * default to `ns`. Returns undefined for anything else (`sec`, `milliseconds`, `h`, `m`,
 * `''`, …), which the HTTP layer answers as a bad parameter.
 *
 * @example
 * parsePrecision(undefined, 'v3') // 'auto'
 * parsePrecision('millisecond', 'v1') // 'ms'
 * parsePrecision('auto', 'v1') // undefined
 */
export function parsePrecision(value: string | undefined, api: WriteApi): Precision | undefined {
  if (value === undefined) return api === 'v3' ? 'auto' : 'ns'

  return (api === 'v3' ? v3Names : v1Names).get(value)
}
