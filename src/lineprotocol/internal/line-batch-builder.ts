import type { FieldType, FieldValue, LineBatch, LineError } from '../types.js'

/**
 * Collects the lines of a batch into the columns of a `LineBatch`. A line's tags and fields
 * go in as they are read; `endLine` keeps them, `dropLine` takes them back out.
 */
export class LineBatchBuilder implements LineBatch {
  readonly text: string
  lineCount = 0
  readonly measurements = emptyList('')
  readonly tagStarts: number[] = []
  readonly tagKeys = emptyList('')
  readonly tagValues = emptyList('')
  readonly fieldStarts: number[] = []
  readonly fieldKeys = emptyList('')
  readonly fieldTypes = emptyList<FieldType>('float')
  readonly fieldValues = emptyList<FieldValue['value']>('')
  readonly timestamps = emptyList<bigint | undefined>(undefined)
  readonly lineNumbers: number[] = []
  readonly lineStarts: number[] = []
  readonly lineEnds: number[] = []
  readonly errors: LineError[] = []
  private lineTags = 0
  private lineFields = 0
  private lineMeasurement = ''
  private lineTimestamp: bigint | undefined = undefined

  constructor(text: string) {
    this.text = text
  }

  /** Starts a line: tags and fields added from now on belong to it. */
  startLine(): void {
    this.lineTags = this.tagKeys.length
    this.lineFields = this.fieldKeys.length
  }

  /** Adds a tag to the current line. */
  addTag(key: string, value: string): void {
    this.tagKeys.push(key)
    this.tagValues.push(value)
  }

  /** Adds a field to the current line. */
  addField(key: string, type: FieldType, value: FieldValue['value']): void {
    this.fieldKeys.push(key)
    this.fieldTypes.push(type)
    this.fieldValues.push(value)
  }

  /** Where the current line's fields start. */
  firstField(): number {
    return this.lineFields
  }

  /** Gives the current line its measurement and timestamp. */
  setLine(measurement: string, timestamp: bigint | undefined): void {
    this.lineMeasurement = measurement
    this.lineTimestamp = timestamp
  }

  /** Keeps the current line as line `lineNumber`, its raw text being `text[start, end)`. */
  endLine(lineNumber: number, start: number, end: number): void {
    this.measurements.push(this.lineMeasurement)
    this.tagStarts.push(this.lineTags)
    this.fieldStarts.push(this.lineFields)
    this.timestamps.push(this.lineTimestamp)
    this.lineNumbers.push(lineNumber)
    this.lineStarts.push(start)
    this.lineEnds.push(end)
    this.lineCount++
  }

  /** Takes back the line `endLine` kept last, with its tags and fields. */
  removeLastLine(): void {
    this.lineTags = this.tagStarts.pop() ?? 0
    this.lineFields = this.fieldStarts.pop() ?? 0
    this.measurements.pop()
    this.timestamps.pop()
    this.lineNumbers.pop()
    this.lineStarts.pop()
    this.lineEnds.pop()
    this.lineCount--
    this.dropLine()
  }

  /** Takes back the tags and fields added since the current line started. */
  dropLine(): void {
    this.tagKeys.length = this.lineTags
    this.tagValues.length = this.lineTags
    this.fieldKeys.length = this.lineFields
    this.fieldTypes.length = this.lineFields
    this.fieldValues.length = this.lineFields
  }

  /** Records a refused line. */
  addError(error: LineError): void {
    this.errors.push(error)
  }

  /** Closes the tag and field lists with their end entries; the batch is complete. */
  finish(): LineBatch {
    this.tagStarts.push(this.tagKeys.length)
    this.fieldStarts.push(this.fieldKeys.length)
    return this
  }
}

// `[]` starts as a list of small integers and becomes a list of anything at its first
// string, bigint or fraction. A push site that has seen lists of both kinds calls the
// generic push instead of storing in place; a list that starts in its final kind keeps
// every site on one. `sample` only sets the kind.
function emptyList<T>(sample: T): T[] {
  return [sample].slice(1)
}
