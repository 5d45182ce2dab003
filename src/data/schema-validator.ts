import type { Catalog, TableRecord } from '../catalog/index.js'
import type { LineBatch, LineError, ParsedLine } from '../lineprotocol/index.js'
import { originalLineOf } from '../lineprotocol/index.js'
import type {
  ColumnDef,
  ColumnType,
  StoredValue,
  TableColumns,
  WriteRow,
} from '../storage/index.js'
import { ioxType } from '../storage/index.js'
import { lineBatchOf } from './internal/parsed-lines.js'
import { TableColumnsBuilder } from './internal/table-columns-builder.js'
import { columnLimitMessage, tableLimitMessage } from './limit-messages.js'

const reservedColumns = new Set(['time', '__chunk_order'])

/** Columns a write adds: new tables with all their columns, and new columns of known tables. */
export interface SchemaChanges {
  newTables: Map<string, ColumnDef[]>
  newColumns: Map<string, ColumnDef[]>
}

/** What a check of lines against the schema found: the lines it refuses and the columns added. */
export interface SchemaCheck {
  errors: LineError[]
  changes: SchemaChanges
}

/** The rows a write stores, one object each, and the lines it refuses after parsing. */
export interface ValidatedWrite extends SchemaCheck {
  rows: WriteRow[]
}

/** The rows a batch stores, column by column and table by table, and the lines it refuses. */
export interface ValidatedBatch extends SchemaCheck {
  tables: TableColumns[]
  rowCount: number
}

/**
 * How the timestamp of line `line` of a batch, as written, becomes nanoseconds; a string is the
 * message refusing the line.
 */
export type BatchTimestampResolver = (
  timestamp: bigint | undefined,
  line: number,
) => bigint | string

/** How a line's timestamp becomes nanoseconds; a string is the message refusing the line. */
export type TimestampResolver = (line: ParsedLine) => bigint | string

/**
 * Checks the lines of a parsed batch against a database's schema as it stands plus what earlier
 * lines of the same write add: duplicate fields, reserved names, type conflicts, table and
 * column limits. A refused line adds nothing to the schema.
 */
export function validateBatch(
  batch: LineBatch,
  catalog: Catalog,
  databaseId: number | undefined,
  resolveTime: BatchTimestampResolver,
): ValidatedBatch {
  const columns = new TableColumnsBuilder(batch)
  let rowCount = 0
  const check = checkLines(
    batch,
    new PendingSchema(catalog, databaseId),
    resolveTime,
    (line, time) => {
      columns.add(line, time)
      rowCount++
    },
  )

  return { ...check, tables: columns.tables(), rowCount }
}

/**
 * `validateBatch` for lines parsed one object each.
 *
 * @example
 * const { lines } = parseLineProtocol('cpu,host=a usage=0.5 7')
 * validateLines(lines, catalog, db.id, (line) => line.timestamp ?? 0n).rows
 * // → [{ table: 'cpu', tags: { host: 'a' }, fields: { usage: 0.5 }, time: 7n }]
 */
export function validateLines(
  lines: readonly ParsedLine[],
  catalog: Catalog,
  databaseId: number | undefined,
  resolveTime: TimestampResolver,
): ValidatedWrite {
  const batch = lineBatchOf(lines)
  const rows: WriteRow[] = []
  const resolveLine: BatchTimestampResolver = (_, line) => {
    const parsed = lines[line]
    return parsed === undefined ? 0n : resolveTime(parsed)
  }
  const check = checkLines(
    batch,
    new PendingSchema(catalog, databaseId),
    resolveLine,
    (line, time) => rows.push(toRow(batch, line, time)),
  )

  return { ...check, rows }
}

// Lines shaped like the last one admitted (same table, keys and types) fit the schema too.
function checkLines(
  batch: LineBatch,
  schema: PendingSchema,
  resolveTime: BatchTimestampResolver,
  accept: (line: number, time: bigint) => void,
): SchemaCheck {
  const errors: LineError[] = []
  let admitted = -1
  for (let line = 0; line < batch.lineCount; line++) {
    const fits = admitted >= 0 && sameShape(batch, admitted, line)
    const time = fits
      ? resolveTime(batch.timestamps[line], line)
      : admit(batch, line, schema, resolveTime)
    if (typeof time === 'string') {
      const lineNumber = batch.lineNumbers[line] ?? 0
      errors.push({ lineNumber, message: time, originalLine: originalLineOf(batch, line) })
    } else {
      if (!fits) admitted = line
      accept(line, time)
    }
  }

  return { errors, changes: schema.changes }
}

// Duplicate fields are reported first, then the time, and only a line that passes both may add
// columns to the schema.
function admit(
  batch: LineBatch,
  line: number,
  schema: PendingSchema,
  resolveTime: BatchTimestampResolver,
): bigint | string {
  const duplicate = firstDuplicateField(batch, line)
  if (duplicate !== undefined) {
    return `invalid line protocol - multiple instances of '${duplicate}' field found`
  }

  const time = resolveTime(batch.timestamps[line], line)
  if (typeof time === 'string') return time

  return schema.admit(batch.measurements[line] ?? '', columnsOf(batch, line)) ?? time
}

function columnsOf(batch: LineBatch, line: number): ColumnDef[] {
  const columns: ColumnDef[] = []
  const tagEnd = batch.tagStarts[line + 1] ?? 0
  for (let tag = batch.tagStarts[line] ?? tagEnd; tag < tagEnd; tag++) {
    columns.push({ name: batch.tagKeys[tag] ?? '', type: 'tag' })
  }
  const fieldEnd = batch.fieldStarts[line + 1] ?? 0
  for (let field = batch.fieldStarts[line] ?? fieldEnd; field < fieldEnd; field++) {
    columns.push({ name: batch.fieldKeys[field] ?? '', type: batch.fieldTypes[field] ?? 'string' })
  }

  return columns
}

function firstDuplicateField(batch: LineBatch, line: number): string | undefined {
  const start = batch.fieldStarts[line] ?? 0
  const end = batch.fieldStarts[line + 1] ?? 0
  if (end - start < 2) return undefined

  const seen = new Set<string>()
  for (let field = start; field < end; field++) {
    const name = batch.fieldKeys[field] ?? ''
    if (seen.has(name)) return name
    seen.add(name)
  }
  return undefined
}

function sameShape(batch: LineBatch, a: number, b: number): boolean {
  if (batch.measurements[a] !== batch.measurements[b]) return false

  return (
    sameRun(batch.tagKeys, batch.tagStarts, a, b) &&
    sameRun(batch.fieldKeys, batch.fieldStarts, a, b) &&
    sameRun(batch.fieldTypes, batch.fieldStarts, a, b)
  )
}

// Whether lines `a` and `b` hold the same run of `values`, `starts` telling where each begins.
function sameRun(values: readonly string[], starts: readonly number[], a: number, b: number) {
  const startA = starts[a] ?? 0
  const startB = starts[b] ?? 0
  const count = (starts[b + 1] ?? 0) - startB
  if ((starts[a + 1] ?? 0) - startA !== count) return false

  for (let offset = 0; offset < count; offset++) {
    if (values[startA + offset] !== values[startB + offset]) return false
  }
  return true
}

function toRow(batch: LineBatch, line: number, time: bigint): WriteRow {
  const tags: Record<string, string> = {}
  const tagEnd = batch.tagStarts[line + 1] ?? 0
  for (let tag = batch.tagStarts[line] ?? tagEnd; tag < tagEnd; tag++) {
    tags[batch.tagKeys[tag] ?? ''] = batch.tagValues[tag] ?? ''
  }

  const fields: Record<string, StoredValue> = {}
  const fieldEnd = batch.fieldStarts[line + 1] ?? 0
  for (let field = batch.fieldStarts[line] ?? fieldEnd; field < fieldEnd; field++) {
    fields[batch.fieldKeys[field] ?? ''] = batch.fieldValues[field] ?? 0
  }

  return { table: batch.measurements[line] ?? '', tags, fields, time }
}

/** The schema of one database as a write sees it: the catalog's plus this write's additions. */
class PendingSchema {
  readonly changes: SchemaChanges = { newTables: new Map(), newColumns: new Map() }
  readonly #catalog: Catalog
  readonly #databaseId: number | undefined
  readonly #types = new Map<string, Map<string, ColumnType>>()

  constructor(catalog: Catalog, databaseId: number | undefined) {
    this.#catalog = catalog
    this.#databaseId = databaseId
  }

  /** Adds the line's columns when they fit; returns the reference's message when they do not. */
  admit(table: string, columns: ColumnDef[]): string | undefined {
    const known = this.#columnTypes(table)
    const isNewTable = known === undefined
    const types = known ?? new Map<string, ColumnType>([['time', 'time']])

    const added: ColumnDef[] = []
    for (const column of columns) {
      const problem = checkColumn(column, types, added)
      if (problem !== undefined) return problem
    }

    // A line that adds no column passes even when a lowered limit is already exceeded.
    if (isNewTable || added.length > 0) {
      const limitProblem = this.#checkLimits(isNewTable, types.size - 1 + added.length)
      if (limitProblem !== undefined) return limitProblem
    }

    this.#record(table, isNewTable, types, added)
    return undefined
  }

  #columnTypes(table: string): Map<string, ColumnType> | undefined {
    const cached = this.#types.get(table)
    if (cached !== undefined) return cached

    const record = this.#findTable(table)
    if (record === undefined) return undefined

    const types = new Map(record.columns.map((c) => [c.name, c.type] as const))
    this.#types.set(table, types)
    return types
  }

  #findTable(table: string): TableRecord | undefined {
    if (this.#databaseId === undefined) return undefined
    return this.#catalog.findTable(this.#databaseId, table)
  }

  #checkLimits(isNewTable: boolean, userColumns: number): string | undefined {
    const { maxTables, maxColumnsPerTable } = this.#catalog.limits
    if (isNewTable) {
      const tables = this.#catalog.tableCount() + this.changes.newTables.size
      if (tables >= maxTables) {
        return tableLimitMessage(tables, maxTables)
      }
    }
    if (userColumns > maxColumnsPerTable) {
      return columnLimitMessage(maxColumnsPerTable)
    }
    return undefined
  }

  #record(table: string, isNewTable: boolean, types: Map<string, ColumnType>, added: ColumnDef[]) {
    for (const column of added) types.set(column.name, column.type)
    this.#types.set(table, types)

    if (isNewTable) {
      this.changes.newTables.set(table, [...added, { name: 'time', type: 'time' }])
    } else if (this.changes.newTables.has(table)) {
      this.changes.newTables.get(table)?.splice(-1, 0, ...added)
    } else if (added.length > 0) {
      const pending = this.changes.newColumns.get(table) ?? []
      pending.push(...added)
      this.changes.newColumns.set(table, pending)
    }
  }
}

/** Checks one column of a line against the table's types and the line's earlier columns. */
function checkColumn(column: ColumnDef, types: Map<string, ColumnType>, added: ColumnDef[]) {
  const existing = types.get(column.name) ?? added.find((c) => c.name === column.name)?.type
  if (existing === undefined) {
    if (reservedColumns.has(column.name)) return `'${column.name}' is a reserved column`
    added.push(column)
    return undefined
  }

  if (existing === 'time') return `'${column.name}' is a reserved column`
  if (existing === column.type && column.type !== 'tag') return undefined
  if (existing === 'tag' && column.type === 'tag') return undefined

  const expectedAndGot = `expected ${ioxType(existing)}, got ${ioxType(column.type)}`
  return `invalid column type for column '${column.name}', ${expectedAndGot}`
}
