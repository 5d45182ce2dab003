import type { LineError } from '../../../lineprotocol/index.js'

/** A refused line as the reference's JSON shows it. */
export interface WireLineError {
  error_message: string
  line_number: number
  original_line: string
}

const originalLineBytes = 20

/** The wire form of a refused line: `original_line` cut to 20 bytes on a character boundary. */
export function toWireLineError(error: LineError): WireLineError {
  return {
    error_message: error.message,
    line_number: error.lineNumber,
    original_line: truncateUtf8(error.originalLine, originalLineBytes),
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text)
  if (bytes.length <= maxBytes) return text

  let end = maxBytes
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--
  return bytes.subarray(0, end).toString()
}

const limitPrefixes = [
  'Update to schema would exceed number of',
  'Adding a new database would exceed limit of',
]

/** A partial write answers 422 when a limit refused a line, else 400. */
export function partialWriteStatus(rejected: LineError[]): number {
  const hitLimit = rejected.some((e) =>
    limitPrefixes.some((prefix) => e.message.startsWith(prefix)),
  )
  return hitLimit ? 422 : 400
}
