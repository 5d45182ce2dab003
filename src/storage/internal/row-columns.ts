import { DuckDBTimestampNanosecondsValue } from '@duckdb/node-api'
import type { DuckDBValue } from '@duckdb/node-api'

import type { ColumnType, StoredValue, TableColumns, WriteRow } from '../types.js'
import type { PointColumns } from './last-write-wins.js'
import type { TableSchema } from './table-schema-store.js'

/** Rows of one table laid out column by column, as the stored columns of its schema. */
export interface RowColumns extends PointColumns {
  readonly rowCount: number
  /** Per stored column, a value per row: null or undefined where the row has none. */
  readonly values: ReadonlyArray<ReadonlyArray<DuckDBValue | undefined>>
  /** True when some row has no value for some field column. */
  readonly omitsFields: boolean
}

/**
 * Lays `rows` out as the columns of `schema`. Names the schema does not hold are left out;
 * integer fields given as plain numbers become bigints.
 */
export function columnsOfRows(schema: TableSchema, rows: readonly WriteRow[]): RowColumns {
  const gatherer = new RowGatherer(schema, rows.length)
  rows.forEach((row, at) => gatherer.gather(row, at))

  return laidOut(schema, gatherer.values, gatherer.times)
}

/** Lays rows given column by column out as the columns of `schema`, in its order. */
export function columnsOfTable(schema: TableSchema, table: TableColumns): RowColumns {
  const rowCount = table.time.length
  const times = timeValues(table.time)
  const values = schema.columns.map((column): ReadonlyArray<DuckDBValue | undefined> => {
    if (column.type === 'time') return times
    const given =
      column.type === 'tag' ? table.tags.get(column.name) : table.fields.get(column.name)
    return given ?? new Array<undefined>(rowCount).fill(undefined)
  })

  return laidOut(schema, values, table.time)
}

/** The rows of `table`, one object each. */
export function rowsOfTable(table: TableColumns): WriteRow[] {
  return table.time.map((time, at) => {
    const row: WriteRow = { table: table.table, tags: {}, fields: {}, time }
    for (const [name, values] of table.tags) setIfPresent(row.tags, name, values[at])
    for (const [name, values] of table.fields) setIfPresent(row.fields, name, values[at])
    return row
  })
}

function laidOut(
  schema: TableSchema,
  values: ReadonlyArray<ReadonlyArray<DuckDBValue | undefined>>,
  times: readonly bigint[],
): RowColumns {
  const tagIndexes = schema.tags.map((tag) => schema.columns.findIndex((c) => c.name === tag))
  return {
    rowCount: times.length,
    values,
    times,
    tags: tagIndexes.map((index) => values[index] ?? []),
    omitsFields: schema.columns.some(
      (column, index) => isField(column.type) && hasAbsent(values[index]),
    ),
  }
}

// Rows of a write mostly share their time with the row before, and then their time value.
function timeValues(times: readonly bigint[]): DuckDBValue[] {
  const values: DuckDBValue[] = []
  let last = new DuckDBTimestampNanosecondsValue(times[0] ?? 0n)
  for (const time of times) {
    if (time !== last.nanos) last = new DuckDBTimestampNanosecondsValue(time)
    values.push(last)
  }

  return values
}

function setIfPresent<T>(record: Record<string, T>, name: string, value: T | undefined): void {
  if (value !== undefined) record[name] = value
}

/**
 * Puts each value of a row in its column. Rows of one write mostly list the same names in the
 * same order, so the columns found for the previous row are tried first, by position.
 */
class RowGatherer {
  readonly values: DuckDBValue[][]
  readonly times: bigint[]
  private readonly types: readonly ColumnType[]
  private readonly indexes: ReadonlyMap<string, number>
  private readonly timeIndex: number
  private readonly recentNames: string[] = []
  private readonly recentIndexes: number[] = []
  private lastTime: bigint | undefined
  private lastTimeValue = new DuckDBTimestampNanosecondsValue(0n)

  constructor(schema: TableSchema, rowCount: number) {
    this.types = schema.columns.map((column) => column.type)
    this.indexes = new Map(schema.columns.map((column, index) => [column.name, index]))
    this.timeIndex = this.types.indexOf('time')
    this.values = this.types.map(() => new Array<DuckDBValue>(rowCount).fill(null))
    this.times = new Array<bigint>(rowCount).fill(0n)
  }

  // `for…in` with the object's own key lets V8 read each property by its slot.
  gather(row: WriteRow, at: number): void {
    let position = 0
    for (const name in row.tags) {
      const column = this.values[this.indexOf(name, position++)]
      if (column !== undefined) column[at] = row.tags[name] ?? null
    }
    for (const name in row.fields) {
      const index = this.indexOf(name, position++)
      const column = this.values[index]
      if (column !== undefined) column[at] = this.cell(index, row.fields[name])
    }
    this.times[at] = row.time
    const times = this.values[this.timeIndex]
    if (times !== undefined) times[at] = this.timeValue(row.time)
  }

  private indexOf(name: string, position: number): number {
    if (this.recentNames[position] === name) return this.recentIndexes[position] ?? -1

    const index = this.indexes.get(name) ?? -1
    this.recentNames[position] = name
    this.recentIndexes[position] = index
    return index
  }

  private cell(index: number, value: StoredValue | undefined): DuckDBValue {
    if (typeof value !== 'number') return value ?? null

    const type = this.types[index]
    return type === 'integer' || type === 'uinteger' ? BigInt(value) : value
  }

  // Rows of a write mostly share their time with the row before.
  private timeValue(time: bigint): DuckDBTimestampNanosecondsValue {
    if (time !== this.lastTime) {
      this.lastTime = time
      this.lastTimeValue = new DuckDBTimestampNanosecondsValue(time)
    }

    return this.lastTimeValue
  }
}

function isField(type: ColumnType): boolean {
  return type !== 'tag' && type !== 'time'
}

function hasAbsent(values: ReadonlyArray<DuckDBValue | undefined> | undefined): boolean {
  return values !== undefined && (values.includes(null) || values.includes(undefined))
}
