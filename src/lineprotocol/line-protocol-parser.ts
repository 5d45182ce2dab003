import { fieldValueOf, originalLineOf } from './line-batch.js'
import { parseLineBatch } from './line-batch-parser.js'
import type { LineBatch, LineError, ParsedLine } from './types.js'

/** What one batch of line protocol parses into: its good lines and its refused ones. */
export interface ParsedBatch {
  lines: ParsedLine[]
  errors: LineError[]
}

/**
 * Parses a batch of line protocol into one object per line: `parseLineBatch`, for callers
 * that read lines one at a time rather than column by column.
 *
 * @example
 * const { lines, errors } = parseLineProtocol('cpu,host=a usage=0.5 1708473600\ncpu 1')
 * // lines[0].fields → [['usage', { type: 'float', value: 0.5 }]]
 * // errors[0] → { lineNumber: 2, message: 'No fields were provided', originalLine: 'cpu 1' }
 */
export function parseLineProtocol(text: string): ParsedBatch {
  const batch = parseLineBatch(text)
  const lines: ParsedLine[] = []
  for (let line = 0; line < batch.lineCount; line++) lines.push(parsedLine(batch, line))

  return { lines, errors: [...batch.errors] }
}

function parsedLine(batch: LineBatch, line: number): ParsedLine {
  return {
    measurement: batch.measurements[line] ?? '',
    tags: tagsOf(batch, line),
    fields: fieldsOf(batch, line),
    timestamp: batch.timestamps[line],
    lineNumber: batch.lineNumbers[line] ?? 0,
    originalLine: originalLineOf(batch, line),
  }
}

function tagsOf(batch: LineBatch, line: number): ParsedLine['tags'] {
  const tags: ParsedLine['tags'] = []
  const end = batch.tagStarts[line + 1] ?? 0
  for (let tag = batch.tagStarts[line] ?? end; tag < end; tag++) {
    tags.push([batch.tagKeys[tag] ?? '', batch.tagValues[tag] ?? ''])
  }

  return tags
}

function fieldsOf(batch: LineBatch, line: number): ParsedLine['fields'] {
  const fields: ParsedLine['fields'] = []
  const end = batch.fieldStarts[line + 1] ?? 0
  for (let field = batch.fieldStarts[line] ?? end; field < end; field++) {
    fields.push([batch.fieldKeys[field] ?? '', fieldValueOf(batch, field)])
  }

  return fields
}
