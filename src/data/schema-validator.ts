import type { Catalog, TableRecord } from '../catalog/index.js'
import type { FieldValue, LineError, ParsedLine } from '../lineprotocol/index.js'
import type { ColumnDef, ColumnType, StoredValue, WriteRow } from '../storage/index.js'
import { columnLimitMessage, tableLimitMessage } from './limit-messages.js'

const reservedColumns = new Set(['time', '__chunk_order'])

/** Columns a write adds: new tables with all their columns, and new columns of known tables. */
export interface SchemaChanges {
  newTables: Map<string, ColumnDef[]>
  newColumns: Map<string, ColumnDef[]>
}

/** The rows a write stores and the lines it refuses after parsing. */
export interface ValidatedWrite {
  rows: WriteRow[]
  errors: LineError[]
  changes: SchemaChanges
}

/** How a line's timestamp becomes nanoseconds; undefined means out of range. */
export type TimestampResolver = (line: ParsedLine) => bigint | string

/**
 * Checks parsed lines against a database's schema as it stands plus what earlier lines of the
 * same write add: duplicate fields, reserved names, type conflicts, table and column limits.
 * A refused line adds nothing to the schema.
 */
export function validateLines(
  lines: ParsedLine[],
  catalog: Catalog,
  databaseId: number | undefined,
  resolveTime: TimestampResolver,
): ValidatedWrite {
  const schema = new PendingSchema(catalog, databaseId)
  const rows: WriteRow[] = []
  const errors: LineError[] = []

  for (const line of lines) {
    const outcome = validateLine(line, schema, resolveTime)
    if (typeof outcome === 'string') {
      errors.push({
        lineNumber: line.lineNumber,
        message: outcome,
        originalLine: line.originalLine,
      })
    } else {
      rows.push(outcome)
    }
  }

  return { rows, errors, changes: schema.changes }
}

function validateLine(line: ParsedLine, schema: PendingSchema, resolveTime: TimestampResolver) {
  const duplicate = firstDuplicateField(line)
  if (duplicate !== undefined) {
    return `invalid line protocol - multiple instances of '${duplicate}' field found`
  }

  const time = resolveTime(line)
  if (typeof time === 'string') return time

  const columns: ColumnDef[] = [
    ...line.tags.map(([name]): ColumnDef => ({ name, type: 'tag' })),
    ...line.fields.map(([name, value]): ColumnDef => ({ name, type: value.type })),
  ]
  const problem = schema.admit(line.measurement, columns)
  if (problem !== undefined) return problem

  return toRow(line, time)
}

function firstDuplicateField(line: ParsedLine): string | undefined {
  if (line.fields.length < 2) return undefined

  const seen = new Set<string>()
  for (const [name] of line.fields) {
    if (seen.has(name)) return name
    seen.add(name)
  }
  return undefined
}

function toRow(line: ParsedLine, time: bigint): WriteRow {
  const tags: Record<string, string> = {}
  for (const [key, value] of line.tags) tags[key] = value

  const fields: Record<string, StoredValue> = {}
  for (const [key, value] of line.fields) fields[key] = storedValue(value)

  return { table: line.measurement, tags, fields, time }
}

function storedValue(field: FieldValue): StoredValue {
  return field.value
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

  return `invalid column type for column '${column.name}', expected ${ioxType(existing)}, got ${ioxType(column.type)}`
}

/** The reference's name for a column type in error messages. */
function ioxType(type: ColumnType): string {
  if (type === 'tag') return 'iox::column_type::tag'
  if (type === 'time') return 'iox::column_type::timestamp'
  return `iox::column_type::field::${type}`
}
