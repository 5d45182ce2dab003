import { readFieldSet } from './field-set-reader.js'
import type { LineBatchBuilder } from './line-batch-builder.js'
import { expectedSpace, trailingContent } from './line-error-messages.js'
import type { LineCursor } from './line-cursor.js'
import { readMeasurement, readTagSet } from './series-reader.js'
import { readTimestamp } from './timestamp-reader.js'

/**
 * Reads the whole line the cursor points at into `batch`, of the form
 * `measurement[,tag=value…] field=value[,field=value…] [timestamp]`, as line `lineNumber`
 * whose raw text starts at `start`. Returns false when the line is refused, having added
 * nothing; the cursor then holds the reference's message.
 */
export function readLine(
  cursor: LineCursor,
  batch: LineBatchBuilder,
  lineNumber: number,
  start: number,
): boolean {
  batch.startLine()
  if (readParts(cursor, batch)) {
    batch.endLine(lineNumber, start, cursor.end)
    return true
  }

  batch.dropLine()
  return false
}

function readParts(cursor: LineCursor, batch: LineBatchBuilder): boolean {
  const measurement = readMeasurement(cursor)
  if (measurement === undefined || !readTagSet(cursor, batch)) return false
  if (!cursor.skipSpaces()) return cursor.refuse(expectedSpace(cursor.rest()))
  if (!readFieldSet(cursor, batch)) return false

  const timestamp = readTimestamp(cursor)
  if (cursor.rejected()) return false
  if (!cursor.atEnd()) return cursor.refuse(trailingContent(cursor.rest()))

  batch.setLine(measurement, timestamp)
  return true
}
