// UTF-16 code units that the line-protocol grammar gives a meaning to.

/** `\0`, which ends a measurement. */
export const NUL = 0x00
/** `\t`, which ends names but does not separate sections. */
export const TAB = 0x09
/** `\n`. */
export const NEWLINE = 0x0a
/** `\r`, dropped before the newline of a CRLF line ending. */
export const CARRIAGE_RETURN = 0x0d
/** ` `. */
export const SPACE = 0x20
/** `"`. */
export const DOUBLE_QUOTE = 0x22
/** `#`, which opens a comment line. */
export const HASH = 0x23
/** `+`. */
export const PLUS = 0x2b
/** `,`. */
export const COMMA = 0x2c
/** `-`. */
export const MINUS = 0x2d
/** `.`. */
export const DOT = 0x2e
/** `0`. */
export const DIGIT_ZERO = 0x30
/** `9`. */
export const DIGIT_NINE = 0x39
/** `=`. */
export const EQUALS = 0x3d
/** `E`. */
export const UPPER_E = 0x45
/** `\`. */
export const BACKSLASH = 0x5c
/** `e`. */
export const LOWER_E = 0x65
/** `i`, the suffix of an integer. */
export const LOWER_I = 0x69
/** `u`, the suffix of an unsigned integer. */
export const LOWER_U = 0x75

/** What the cursor returns for a position at or past the end of the line. */
export const END_OF_LINE = -1

/** True for the ASCII digits `0`–`9`. */
export function isDigit(code: number): boolean {
  return code >= DIGIT_ZERO && code <= DIGIT_NINE
}
