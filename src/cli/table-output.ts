import { Option } from 'commander'

import { printLine } from './cli-io.js'
import type { CliIo } from './cli-io.js'

/** The formats of listings the command line renders itself rather than the server. */
export const tableFormats = ['pretty', 'json', 'csv'] as const

/** One of `tableFormats`. */
export type TableFormat = (typeof tableFormats)[number]

/** A cell: text as is, `null` blank, and a list joined with commas outside JSON. */
export type TableCell = string | number | boolean | null | readonly string[]

/** Rows keyed by column name; every row has every column. */
export type TableRow = Readonly<Record<string, TableCell>>

/** The `--format` option of such listings, `pretty` by default. */
export function tableFormatOption(): Option {
  return new Option('--format <FORMAT>', 'output format').choices(tableFormats).default('pretty')
}

/**
 * Prints `rows` under `columns` to stdout: a bordered table (`pretty`, as the server draws query
 * results), a JSON array of objects (`json`), or RFC 4180 CSV with a header line (`csv`).
 */
export function printTable(
  columns: readonly string[],
  rows: readonly TableRow[],
  format: TableFormat,
  io: CliIo,
): void {
  if (format === 'json') return printLine(io, JSON.stringify(rows, null, 2))

  const cells = rows.map((row) => columns.map((column) => cellText(row[column] ?? null)))
  const text = format === 'csv' ? csvText(columns, cells) : prettyText(columns, cells)
  printLine(io, text)
}

function cellText(cell: TableCell): string {
  if (cell === null) return ''
  if (Array.isArray(cell)) return cell.join(',')

  return String(cell)
}

function csvText(columns: readonly string[], cells: readonly string[][]): string {
  return [columns, ...cells].map((line) => line.map(csvField).join(',')).join('\n')
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function prettyText(columns: readonly string[], cells: readonly string[][]): string {
  const widths = columns.map((column, index) =>
    Math.max(width(column), ...cells.map((row) => width(row[index] ?? ''))),
  )
  const border = `+${widths.map((size) => '-'.repeat(size + 2)).join('+')}+`
  const line = (row: readonly string[]) =>
    `|${widths.map((size, index) => ` ${pad(row[index] ?? '', size)} `).join('|')}|`

  return [border, line(columns), border, ...cells.map(line), border].join('\n')
}

function pad(text: string, size: number): string {
  return text + ' '.repeat(size - width(text))
}

// Counts code points; characters that terminals draw two cells wide are counted once.
function width(text: string): number {
  return Array.from(text).length
}
