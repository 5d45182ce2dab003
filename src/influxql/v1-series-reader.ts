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
  const layout = layoutOf(answer)
  const series: V1Series[] = []
  let current: { key: string; series: V1Series } | undefined

  for await (const batch of answer.result.batches) {
    for (let row = 0; row < batch.rowCount; row++) {
      const cells = batch.columns.map((column) => column[row] ?? null)
      if (!layout.keep(cells)) continue

      const key = layout.keyOf(cells)
      if (current?.key !== key) {
        current = { key, series: layout.start(cells) }
        series.push(current.series)
      }
      current.series.values.push(layout.values(cells, answer.result.columns, epoch))
    }
  }
  return series
}

interface Layout {
  keep(cells: Cell[]): boolean
  keyOf(cells: Cell[]): string
  start(cells: Cell[]): V1Series
  values(cells: Cell[], columns: ResultColumn[], epoch: Epoch | undefined): Cell[]
}

function layoutOf(answer: InfluxqlAnswer): Layout {
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
      return seriesLayout(answer)
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
    keyOf: () => '',
    start: () => ({ name, tags: undefined, columns, values: [] }),
    values,
  }
}

// Columns: `iox::measurement`, then for SELECT `time` and the GROUP BY tags, then the values.
function seriesLayout(answer: InfluxqlAnswer): Layout {
  const tagCount = answer.seriesTags.length
  const tagStart = answer.kind === 'select' ? 2 : 1
  const valueStart = tagStart + tagCount
  const names = answer.result.columns.map((column) => column.name)
  const columns = answer.kind === 'select' ? ['time', ...names.slice(valueStart)] : names.slice(1)

  const tagsOf = (cells: Cell[]): Record<string, string> =>
    Object.fromEntries(
      answer.seriesTags.map((tag, index) => [tag, String(cells[tagStart + index] ?? '')]),
    )
  return {
    keep: () => true,
    keyOf: (cells) => JSON.stringify([cells[0], ...cells.slice(tagStart, valueStart)]),
    start: (cells) => ({
      name: String(cells[0] ?? ''),
      tags: tagCount > 0 ? tagsOf(cells) : undefined,
      columns,
      values: [],
    }),
    values: (cells, resultColumns, epoch) => {
      const kept =
        answer.kind === 'select' ? [cells[1] ?? null, ...cells.slice(valueStart)] : cells.slice(1)
      const types =
        answer.kind === 'select'
          ? [resultColumns[1], ...resultColumns.slice(valueStart)]
          : resultColumns.slice(1)
      return kept.map((cell, index) =>
        types[index]?.type === 'timestamp' ? timeCell(cell, epoch) : cell,
      )
    },
  }
}

function timeCell(cell: Cell, epoch: Epoch | undefined): Cell {
  if (typeof cell !== 'bigint') return cell
  return epoch === undefined ? formatRfc3339Nano(cell) : cell / unitNanos[epoch]
}
