import type { ResultBatch, ResultColumn } from '../storage/index.js'
import { isTimeUnit, unitNanos } from './duration.js'
import type { TimeUnit } from './duration.js'
import type { InfluxqlAnswer } from './influxql-answer.js'
import { formatRfc3339Nano } from './internal/rfc3339.js'

type Cell = ResultBatch['columns'][number][number]

/** How v1 answers show times: RFC 3339 text, or integers in the unit of the `epoch` parameter. */
export type Epoch = Exclude<TimeUnit, 'µ'>

/** Reads the `epoch` parameter (`µ` is `u`); undefined when it names no unit. */
export function parseEpoch(text: string): Epoch | undefined {
  const unit = text === 'µ' ? 'u' : text
  return isTimeUnit(unit) && unit !== 'µ' ? unit : undefined
}

/** One series of a v1 answer. */
export interface V1Series {
  name: string | undefined
  tags: Record<string, string> | undefined
  columns: string[]
  values: Cell[][]
}

/**
 * Splits an answer into v1 series: one per measurement and GROUP BY tag set, times as `epoch`
 * integers or RFC 3339 text. SHOW DATABASES and SHOW RETENTION POLICIES take the 1.x shapes
 * of reference §8.6, SHOW SERIES one unnamed series.
 */
export async function readV1Series(
  answer: InfluxqlAnswer,
  epoch: Epoch | undefined,
): Promise<V1Series[]> {
  const layout = layoutOf(answer, epoch)
  const series: V1Series[] = []
  let current: { key: Cell[]; series: V1Series } | undefined

  for await (const batch of answer.result.batches) {
    for (let row = 0; row < batch.rowCount; row++) {
      const cells = batch.columns.map((column) => column[row] ?? null)
      if (!layout.keep(cells)) continue

      if (current === undefined || !sameKey(layout.keyColumns, cells, current.key)) {
        current = {
          key: layout.keyColumns.map((column) => cells[column] ?? null),
          series: layout.start(cells),
        }
        series.push(current.series)
      }
      current.series.values.push(layout.values(cells))
    }
  }
  return series
}

// Cells are compared as they are, so a null tag and an empty one start different series.
function sameKey(keyColumns: readonly number[], cells: Cell[], key: Cell[]): boolean {
  return keyColumns.every((column, index) => (cells[column] ?? null) === key[index])
}

/** How the rows of one answer become series; everything fixed per answer is worked out once. */
interface Layout {
  keep(cells: Cell[]): boolean
  /** The columns whose cells tell one series from the next; none when all rows are one series. */
  keyColumns: readonly number[]
  start(cells: Cell[]): V1Series
  values(cells: Cell[]): Cell[]
}

function layoutOf(answer: InfluxqlAnswer, epoch: Epoch | undefined): Layout {
  switch (answer.kind) {
    case 'show-databases':
      return fixedLayout(
        'databases',
        ['name'],
        (cells) => [cells[0] ?? null],
        (cells) => cells[1] !== true,
      )
    case 'show-retention-policies':
      return fixedLayout('retention_policies', ['name', 'duration', 'default'], (cells) => [
        cells[0] ?? null,
        cells[2] ?? null,
        true,
      ])
    case 'show-series':
      return fixedLayout(undefined, ['key'], (cells) => [cells[1] ?? null])
    default:
      return seriesLayout(answer, epoch)
  }
}

function fixedLayout(
  name: string | undefined,
  columns: string[],
  values: (cells: Cell[]) => Cell[],
  keep: (cells: Cell[]) => boolean = () => true,
): Layout {
  return {
    keep,
    keyColumns: [],
    start: () => ({ name, tags: undefined, columns, values: [] }),
    values,
  }
}

// Columns: `iox::measurement`, then for SELECT `time` and the GROUP BY tags, then the values.
function seriesLayout(answer: InfluxqlAnswer, epoch: Epoch | undefined): Layout {
  const tagCount = answer.seriesTags.length
  const tagStart = answer.kind === 'select' ? 2 : 1
  const valueStart = tagStart + tagCount
  const resultColumns = answer.result.columns
  const tagColumns = answer.seriesTags.map((_, index) => tagStart + index)
  const shown = shownColumns(answer.kind === 'select', valueStart, resultColumns.length)
  const columns = shown.map((column, index) =>
    answer.kind === 'select' && index === 0 ? 'time' : (resultColumns[column]?.name ?? ''),
  )
  const readers = shown.map((column) => cellReader(column, resultColumns, epoch))

  const tagsOf = (cells: Cell[]): Record<string, string> =>
    Object.fromEntries(
      answer.seriesTags.map((tag, index) => [tag, String(cells[tagStart + index] ?? '')]),
    )
  return {
    keep: () => true,
    keyColumns: [0, ...tagColumns],
    start: (cells) => ({
      name: String(cells[0] ?? ''),
      tags: tagCount > 0 ? tagsOf(cells) : undefined,
      columns,
      values: [],
    }),
    values: (cells) => readers.map((read) => read(cells)),
  }
}

/** The result columns a series shows: for SELECT `time` and the values, else all but the first. */
function shownColumns(isSelect: boolean, valueStart: number, count: number): number[] {
  const from = isSelect ? valueStart : 1
  const rest = Array.from({ length: Math.max(count - from, 0) }, (_, index) => from + index)
  return isSelect ? [1, ...rest] : rest
}

/** Reads one shown cell of a row, a time in the form `epoch` asks for. */
function cellReader(
  column: number,
  resultColumns: readonly ResultColumn[],
  epoch: Epoch | undefined,
): (cells: Cell[]) => Cell {
  if (resultColumns[column]?.type !== 'timestamp') return (cells) => cells[column] ?? null
  return (cells) => timeCell(cells[column] ?? null, epoch)
}

function timeCell(cell: Cell, epoch: Epoch | undefined): Cell {
  if (typeof cell !== 'bigint') return cell
  return epoch === undefined ? formatRfc3339Nano(cell) : cell / unitNanos[epoch]
}
