/** The smallest signed 64-bit integer. */
export const INT64_MIN = -(2n ** 63n)

/** The largest signed 64-bit integer. */
export const INT64_MAX = 2n ** 63n - 1n

/** The largest unsigned 64-bit integer. */
export const UINT64_MAX = 2n ** 64n - 1n

/** True when `value` fits a signed 64-bit integer. */
export function isInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX
}

/** True when `value` fits an unsigned 64-bit integer. */
export function isUint64(value: bigint): boolean {
  return value >= 0n && value <= UINT64_MAX
}
