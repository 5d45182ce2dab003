import type { FieldType, FieldValue, LineBatch, ParsedLine } from '../../lineprotocol/index.js'

/** Lines parsed one object each, laid out as the columns of a batch. */
export function lineBatchOf(lines: readonly ParsedLine[]): LineBatch {
  const text = lines.map((line) => line.originalLine).join('\n')
  const tags = lines.flatMap((line) => line.tags)
  const fields = lines.flatMap((line) => line.fields)

  return {
    text,
    lineCount: lines.length,
    measurements: lines.map((line) => line.measurement),
    tagStarts: starts(lines.map((line) => line.tags.length)),
    tagKeys: tags.map(([key]) => key),
    tagValues: tags.map(([, value]) => value),
    fieldStarts: starts(lines.map((line) => line.fields.length)),
    fieldKeys: fields.map(([key]) => key),
    fieldTypes: fields.map(([, value]): FieldType => value.type),
    fieldValues: fields.map(([, value]): FieldValue['value'] => value.value),
    timestamps: lines.map((line) => line.timestamp),
    lineNumbers: lines.map((line) => line.lineNumber),
    lineStarts: starts(lines.map((line) => line.originalLine.length + 1)).slice(0, -1),
    lineEnds: starts(lines.map((line) => line.originalLine.length + 1))
      .slice(1)
      .map((next) => next - 1),
    errors: [],
  }
}

// Where each run starts when runs of these lengths follow one another, and where the last ends.
function starts(lengths: readonly number[]): number[] {
  const result = [0]
  let at = 0
  for (const length of lengths) result.push((at += length))

  return result
}
