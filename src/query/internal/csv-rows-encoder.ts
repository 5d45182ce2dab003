import type { ResultColumn } from '../../storage/types.js'
import type { RowsEncoder } from './rows-encoder.js'
import { displayValueWriter } from './value-formatter.js'

const NEEDS_QUOTES = /[",\n\r]/

/**
 * Encodes rows as CSV (RFC 4180 quoting, `\n` line ends): a header line before the first row,
 * and no text at all when there are no rows.
 */
export function csvEncoder(columns: ResultColumn[]): RowsEncoder {
  const writers = columns.map((column) => displayValueWriter(column.type))
  let headerWritten = false

  return {
    encodeBatch(batch) {
      let text = ''
      if (!headerWritten && batch.rowCount > 0) {
        text = csvLine(columns.map((column) => column.name))
        headerWritten = true
      }

      for (let row = 0; row < batch.rowCount; row++) {
        const cells = writers.map((write, index) => write(batch.columns[index]?.[row] ?? null))
        text += csvLine(cells)
      }
      return text
    },
    finish: () => '',
  }
}

// A line holding one empty cell is quoted, or it would read back as an empty record.
function csvLine(cells: string[]): string {
  if (cells.length === 1 && cells[0] === '') return '""\n'

  return cells.map(csvCell).join(',') + '\n'
}

/** One CSV cell, quoted when it holds a quote, a comma or a line break (RFC 4180). */
export function csvCell(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
