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

/**
 * The good lines of a batch stored column by column, so that parsing allocates no object per
 * line: line `i` holds tags `tagStarts[i]` up to `tagStarts[i + 1]` and fields `fieldStarts[i]`
 * up to `fieldStarts[i + 1]` (both lists end with one extra entry). Names are shared between
 * lines that spell them alike, so comparing two of them is cheap.
 */
export interface LineBatch {
  /** The batch as received; `lineStarts` and `lineEnds` point into it. */
  readonly text: string
  readonly lineCount: number
  readonly measurements: readonly string[]
  readonly tagStarts: readonly number[]
  readonly tagKeys: readonly string[]
  readonly tagValues: readonly string[]
  readonly fieldStarts: readonly number[]
  readonly fieldKeys: readonly string[]
  readonly fieldTypes: readonly FieldType[]
  /** Values by type: number (float), bigint (integer, uinteger), string, boolean. */
  readonly fieldValues: ReadonlyArray<FieldValue['value']>
  /** As written, in the unit of the request's precision; undefined when absent. */
  readonly timestamps: ReadonlyArray<bigint | undefined>
  /** 1-based, among the lines the parser yields (blank and comment lines do not count). */
  readonly lineNumbers: readonly number[]
  /** Where the raw text of each line starts in `text`. */
  readonly lineStarts: readonly number[]
  /** Where the raw text of each line ends in `text`, its line break excluded. */
  readonly lineEnds: readonly number[]
  /** The refused lines, in order. */
  readonly errors: readonly LineError[]
}

/** The precision a request states for its timestamps. */
export type Precision = 'auto' | 's' | 'ms' | 'us' | 'ns'
