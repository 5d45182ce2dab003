/** A field value as written, with the type its suffix or form gave it. */
export type FieldValue =
  | { type: 'float'; value: number }
  | { type: 'integer'; value: bigint }
  | { type: 'uinteger'; value: bigint }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean }

export type FieldType = FieldValue['type']

/** One successfully parsed line, before any schema check. */
export interface ParsedLine {
  measurement: string
  /** Tag pairs in written order (duplicates are kept; later ones win when applied). */
  tags: Array<[key: string, value: string]>
  /** Field pairs in written order, duplicates kept so the validator can report them. */
  fields: Array<[key: string, value: FieldValue]>
  /** The timestamp as written, in the unit of the request's precision; undefined when absent. */
  timestamp: bigint | undefined
  /** 1-based number among the lines the parser yields (blank and comment lines do not count). */
  lineNumber: number
  /** The raw text of the line. */
  originalLine: string
}

/** A line the parser refused. `message` is the reference's exact text. */
export interface LineError {
  lineNumber: number
  message: string
  originalLine: string
}

/** The precision a request states for its timestamps. */
export type Precision = 'auto' | 's' | 'ms' | 'us' | 'ns'
