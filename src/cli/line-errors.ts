/** One rejected line, as a write endpoint reports it in the `data` of its error body. */
export interface LineError {
  readonly message: string
  /** 1-based among the lines the server parsed (blank and comment lines are not counted). */
  readonly lineNumber: number
  /** The start of the line as the server echoed it. */
  readonly originalLine: string
}

/**
 * The rejected lines in the `data` of a write error: an array for partial writes, one object
 * for a strict write. Anything else yields no lines.
 */
export function lineErrorsOf(data: unknown): LineError[] {
  const items: unknown[] = Array.isArray(data) ? data : [data]
  return items.flatMap((item) => {
    const line = toLineError(item)
    return line === undefined ? [] : [line]
  })
}

/** The same rejected lines, renumbered as if `offset` lines had come before them. */
export function shiftLineErrors(errors: readonly LineError[], offset: number): LineError[] {
  return errors.map((error) => ({ ...error, lineNumber: error.lineNumber + offset }))
}

/** One rejected line as text, e.g. `line 2: No fields were provided: cpu val=`. */
export function describeLineError(error: LineError): string {
  return `line ${error.lineNumber}: ${error.message}: ${error.originalLine}`
}

function toLineError(item: unknown): LineError | undefined {
  if (typeof item !== 'object' || item === null) return undefined

  const fields = item as Record<string, unknown>
  const { error_message: message, line_number: lineNumber, original_line: originalLine } = fields
  if (typeof message !== 'string' || typeof lineNumber !== 'number') return undefined

  return { message, lineNumber, originalLine: typeof originalLine === 'string' ? originalLine : '' }
}
