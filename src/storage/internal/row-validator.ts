import { FluxgateError } from '../../errors/index.js'
import type { ColumnType, StoredValue, TableColumns, WriteRow } from '../types.js'
import type { TableSchemaStore } from './table-schema-store.js'

const int64Min = -(2n ** 63n)
const int64Max = 2n ** 63n - 1n
const uint64Max = 2n ** 64n - 1n

/**
 * Checks rows against the stored schema before they join a commit, so that one bad row fails
 * only its own write. The caller has validated them already: a failure here is a fault.
 */
export function checkRows(rows: readonly WriteRow[], schemas: TableSchemaStore): void {
  let table: string | undefined
  let types: ReadonlyMap<string, ColumnType> | undefined
  for (const row of rows) {
    // Rows of a write mostly share their table, so its schema is looked up once per run.
    if (row.table !== table || types === undefined) {
      table = row.table
      types = schemas.get(table)?.types
      if (types === undefined) throw fault(`table ${JSON.stringify(table)} does not exist`)
    }
    checkRow(row, types)
  }
}

// for…in rather than Object.entries: this runs for every row and must not allocate.
function checkRow(row: WriteRow, types: ReadonlyMap<string, ColumnType>): void {
  if (!isWholeIn(row.time, int64Min, int64Max)) throw fault(`time ${row.time} is out of range`)

  for (const name in row.tags) {
    if (types.get(name) !== 'tag' || typeof row.tags[name] !== 'string') {
      throw badColumn(row.table, name)
    }
  }
  for (const name in row.fields) {
    if (!fitsColumn(types.get(name), row.fields[name])) throw badColumn(row.table, name)
  }
}

/** `checkRows` for rows given column by column: every list as long as `time`, and typed. */
export function checkColumns(tables: readonly TableColumns[], schemas: TableSchemaStore): void {
  for (const table of tables) {
    const types = schemas.get(table.table)?.types
    if (types === undefined) throw fault(`table ${JSON.stringify(table.table)} does not exist`)

    for (const time of table.time) {
      if (!isWholeIn(time, int64Min, int64Max)) throw fault(`time ${time} is out of range`)
    }
    for (const [name, values] of table.tags) {
      if (types.get(name) !== 'tag' || !allFit('string', values, table.time.length)) {
        throw badColumn(table.table, name)
      }
    }
    for (const [name, values] of table.fields) {
      if (!allFit(types.get(name), values, table.time.length)) throw badColumn(table.table, name)
    }
  }
}

// Holes count as absent values; a tag's values are checked as strings.
function allFit(
  type: ColumnType | undefined,
  values: ReadonlyArray<StoredValue | undefined>,
  length: number,
): boolean {
  if (values.length !== length) return false

  for (let at = 0; at < length; at++) {
    const value = values[at]
    if (value !== undefined && !fitsColumn(type, value)) return false
  }
  return true
}

function fitsColumn(type: ColumnType | undefined, value: StoredValue | undefined): boolean {
  switch (type) {
    case 'float':
      return typeof value === 'number'
    case 'integer':
      return isWholeIn(value, int64Min, int64Max)
    case 'uinteger':
      return isWholeIn(value, 0n, uint64Max)
    case 'string':
      return typeof value === 'string'
    case 'boolean':
      return typeof value === 'boolean'
    default:
      return false
  }
}

function isWholeIn(value: StoredValue | undefined, min: bigint, max: bigint): boolean {
  if (typeof value === 'bigint') return value >= min && value <= max
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return false

  return value >= Number(min) && value <= Number(max)
}

function badColumn(table: string, name: string): FluxgateError {
  return fault(`column ${JSON.stringify(name)} of ${JSON.stringify(table)} is unknown or mistyped`)
}

function fault(detail: string): FluxgateError {
  return new FluxgateError('ERR_INTERNAL', `write refused: ${detail}`)
}
