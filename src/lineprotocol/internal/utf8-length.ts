import { Buffer } from 'node:buffer'

/** The reference limits each name and string value to 64 KiB of UTF-8. */
export const STRING_LIMIT_BYTES = 65_536

// One UTF-16 code unit never takes more than three bytes of UTF-8, so shorter strings
// need no count at all.
const SAFE_UNITS = Math.floor(STRING_LIMIT_BYTES / 3)

/** The length of `text` in UTF-8 bytes, which is what the reference counts. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** True when `value` takes more than 64 KiB of UTF-8. */
export function isOverStringLimit(value: string): boolean {
  if (value.length <= SAFE_UNITS) return false

  return utf8Length(value) > STRING_LIMIT_BYTES
}
