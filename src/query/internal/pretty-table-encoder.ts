import type { ResultColumn } from '../../storage/types.js'
import type { RowsEncoder } from './rows-encoder.js'
import { displayValueText } from './value-formatter.js'

/**
 * Encodes rows as the ASCII table of Arrow's pretty printer: a bordered header, the rows, a
 * closing border and no trailing newline; null is a blank cell and a newline in a value starts a
 * new line inside its cell. Without rows the table keeps its header.
 *
 * Column widths depend on every row, so the cell texts are held until `finish`.
 */
export function prettyTableEncoder(columns: ResultColumn[]): RowsEncoder {
  const header = columns.map((column) => column.name)
  const rows: string[][] = []

  return {
    encodeBatch(batch) {
      for (let row = 0; row < batch.rowCount; row++) {
        rows.push(
          columns.map((column, index) =>
            displayValueText(batch.columns[index]?.[row] ?? null, column.type),
          ),
        )
      }
      return ''
    },
    finish: () => renderTable(header, rows),
  }
}

function renderTable(header: string[], rows: string[][]): string {
  if (header.length === 0) return '++\n++'

  const headerLines = header.map(cellLines)
  const rowLines = rows.map((row) => row.map(cellLines))
  const widths = columnWidths([headerLines, ...rowLines], header.length)
  const border = `+${widths.map((width) => '-'.repeat(width + 2)).join('+')}+`

  return [
    border,
    ...renderRow(headerLines, widths),
    border,
    ...rowLines.flatMap((row) => renderRow(row, widths)),
    border,
  ].join('\n')
}

function cellLines(text: string): string[] {
  return text.split('\n')
}

function columnWidths(rows: string[][][], columnCount: number): number[] {
  const widths = new Array<number>(columnCount).fill(0)
  for (const row of rows) {
    row.forEach((lines, column) => {
      for (const line of lines) widths[column] = Math.max(widths[column] ?? 0, textWidth(line))
    })
  }
  return widths
}

function renderRow(cells: string[][], widths: number[]): string[] {
  const height = Math.max(1, ...cells.map((lines) => lines.length))
  const lines: string[] = []
  for (let line = 0; line < height; line++) {
    const parts = cells.map((cellText, column) => {
      const text = cellText[line] ?? ''
      return ` ${text}${' '.repeat((widths[column] ?? 0) - textWidth(text))} `
    })
    lines.push(`|${parts.join('|')}|`)
  }
  return lines
}

// Counts code points; characters that terminals draw two cells wide are counted once.
function textWidth(text: string): number {
  return Array.from(text).length
}
