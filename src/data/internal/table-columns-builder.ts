import type { FieldValue, LineBatch } from '../../lineprotocol/index.js'
import type { StoredValue, TableColumns } from '../../storage/index.js'

/** Collects accepted lines of a batch column by column, one `TableColumns` per measurement. */
export class TableColumnsBuilder {
  private readonly batch: LineBatch
  private readonly byTable = new Map<string, TableBuilder>()
  private last: TableBuilder | undefined

  constructor(batch: LineBatch) {
    this.batch = batch
  }

  /** Adds line `line` of the batch as a row at `time`. */
  add(line: number, time: bigint): void {
    const table = this.batch.measurements[line] ?? ''
    let builder = this.last
    if (builder?.columns.table !== table) {
      builder = this.byTable.get(table) ?? this.newTable(table)
      this.last = builder
    }

    builder.add(this.batch, line, time)
  }

  /** The tables collected, every list as long as its table's `time`. */
  tables(): TableColumns[] {
    return [...this.byTable.values()].map((builder) => builder.finish())
  }

  private newTable(table: string): TableBuilder {
    const builder = new TableBuilder(table)
    this.byTable.set(table, builder)
    return builder
  }
}

/**
 * The columns of one table. Lines mostly list the same keys in the same order, so the lists used
 * for the previous line are tried first, by position.
 */
class TableBuilder {
  readonly columns: TableColumns
  private readonly tagLists = new RecentLists<string>()
  private readonly fieldLists = new RecentLists<StoredValue>()

  constructor(table: string) {
    this.columns = { table, time: [], tags: new Map(), fields: new Map() }
  }

  // A tag given twice keeps its last value, as when the line's tags are applied in order.
  add(batch: LineBatch, line: number, time: bigint): void {
    const row = this.columns.time.length
    this.columns.time.push(time)

    const tagEnd = batch.tagStarts[line + 1] ?? 0
    for (let tag = batch.tagStarts[line] ?? tagEnd, at = 0; tag < tagEnd; tag++, at++) {
      const list = this.tagLists.find(this.columns.tags, batch.tagKeys[tag] ?? '', at)
      list[row] = batch.tagValues[tag] ?? ''
    }
    const fieldEnd = batch.fieldStarts[line + 1] ?? 0
    for (let field = batch.fieldStarts[line] ?? fieldEnd, at = 0; field < fieldEnd; field++, at++) {
      const list = this.fieldLists.find(this.columns.fields, batch.fieldKeys[field] ?? '', at)
      list[row] = storedValue(batch.fieldValues[field])
    }
  }

  // Lists of names some rows lack are padded to the full length.
  finish(): TableColumns {
    const rows = this.columns.time.length
    for (const list of this.columns.tags.values()) list.length = rows
    for (const list of this.columns.fields.values()) list.length = rows

    return this.columns
  }
}

/** The lists the previous line used, by position of its keys. */
class RecentLists<T> {
  private readonly names: string[] = []
  private readonly lists: Array<Array<T | undefined>> = []

  find(all: Map<string, Array<T | undefined>>, name: string, position: number) {
    const recent = this.lists[position]
    if (recent !== undefined && this.names[position] === name) return recent

    let list = all.get(name)
    if (list === undefined) {
      list = []
      all.set(name, list)
    }
    this.names[position] = name
    this.lists[position] = list
    return list
  }
}

function storedValue(value: FieldValue['value'] | undefined): StoredValue {
  return value ?? 0
}
