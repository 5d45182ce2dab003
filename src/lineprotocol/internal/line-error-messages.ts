import { utf8Length } from './utf8-length.js'

// The reference quotes at most ten characters of the offending text, and only once that
// text is longer than ten bytes.
const CONTEXT_BYTES = 10
const CONTEXT_CHARS = 10

/** `measurement` empty or starting with a character that cannot open one. */
export const INVALID_MEASUREMENT = 'Invalid measurement was provided'

/** The field set is absent or its first field does not parse. */
export const NO_FIELDS = 'No fields were provided'

/** A name or tag value whose unescaped text ends with a backslash. */
export const ENDS_WITH_BACKSLASH =
  'Measurements, tag keys and values, and field keys may not end with a backslash'

/** A name, tag value or string value over 64 KiB. */
export const STRING_TOO_LARGE = 'String is greater than 64KB'

/** Text left over after the line's last part. */
export function trailingContent(rest: string): string {
  return `Could not parse entire line. Found trailing content: \`${truncateContext(rest)}\``
}

/** A separator space is missing; the reference quotes the rest of the line in full here. */
export function expectedSpace(rest: string): string {
  const got = rest === '' ? 'end of input' : `\`${rest}\``
  return `Expected at least one space character, got ${got}`
}

/** A tag key is missing where one must start. */
export function expectedTagKey(rest: string): string {
  return `Expected tag key, got ${describeRest(rest)}`
}

/** A tag value is missing after `=`. */
export function expectedTagValue(rest: string): string {
  return `Expected tag value, got ${describeRest(rest)}`
}

/** A tag key is not followed by `=`; `tagSet` is the text after the measurement's comma. */
export function tagSetMissingEquals(tagSet: string): string {
  return `Tag set malformed: could not find equals sign in \`${truncateContext(tagSet)}\``
}

/** An `i` value outside the signed 64-bit range. */
export function invalidInteger(digits: string): string {
  return `Unable to parse integer value \`${digits}\``
}

/** A `u` value outside the unsigned 64-bit range. */
export function invalidUnsigned(digits: string): string {
  return `Unable to parse unsigned integer value \`${digits}\``
}

/** A timestamp outside the signed 64-bit range. */
export function invalidTimestamp(digits: string): string {
  return `Unable to parse timestamp value \`${digits}\``
}

function describeRest(rest: string): string {
  return rest === '' ? 'end of input' : `\`${truncateContext(rest)}\``
}

/** Shortens `text` to ten characters plus `...` when it is longer than ten bytes. */
export function truncateContext(text: string): string {
  if (text.length <= CONTEXT_BYTES && utf8Length(text) <= CONTEXT_BYTES) return text

  return `${firstCodePoints(text, CONTEXT_CHARS)}...`
}

function firstCodePoints(text: string, count: number): string {
  let index = 0
  for (let taken = 0; taken < count && index < text.length; taken++) {
    const codePoint = text.codePointAt(index) ?? 0
    index += codePoint > 0xffff ? 2 : 1
  }

  return text.slice(0, index)
}
