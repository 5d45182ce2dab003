import { FluxgateError } from '../../errors/index.js'
import type { ColumnType, StoredValue, WriteRow } from '../types.js'
import type { TableSchemaStore } from './table-schema-store.js'

const int64Min = -(2n ** 63n)
const int64Max = 2n ** 63n - 1n
const uint64Max = 2n ** 64n - 1n

const fitsField: Record<Exclude<ColumnType, 'tag' | 'time'>, (value: StoredValue) => boolean> = {
  float: (value) => typeof value === 'number',
  integer: (value) => isWholeIn(value, int64Min, int64Max),
  uinteger: (value) => isWholeIn(value, 0n, uint64Max),
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
}

/**
 * Checks rows against the stored schema before they join a commit, so that one bad row fails
 * only its own write. The caller has validated them already: a failure here is a fault.
 */
export function checkRows(rows: readonly WriteRow[], schemas: TableSchemaStore): void {
  for (const row of rows) checkRow(row, schemas)
}

function checkRow(row: WriteRow, schemas: TableSchemaStore): void {
  const types = schemas.get(row.table)?.types
  if (types === undefined) throw fault(`table ${JSON.stringify(row.table)} does not exist`)
  if (!isWholeIn(row.time, int64Min, int64Max)) throw fault(`time ${row.time} is out of range`)

  // for…in rather than Object.entries: this runs for every row and must not allocate.
  for (const name in row.tags) {
    if (types.get(name) !== 'tag' || typeof row.tags[name] !== 'string') throw badColumn(row, name)
  }
  for (const name in row.fields) {
    if (!fitsColumn(types.get(name), row.fields[name])) throw badColumn(row, name)
  }
}

function fitsColumn(type: ColumnType | undefined, value: StoredValue | undefined): boolean {
  if (type === undefined || type === 'tag' || type === 'time' || value === undefined) return false

  return fitsField[type](value)
}

function isWholeIn(value: StoredValue, min: bigint, max: bigint): boolean {
  if (typeof value === 'bigint') return value >= min && value <= max
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return false

  return value >= Number(min) && value <= Number(max)
}

function badColumn(row: WriteRow, name: string): FluxgateError {
  return fault(
    `column ${JSON.stringify(name)} of ${JSON.stringify(row.table)} is unknown or mistyped`,
  )
}

function fault(detail: string): FluxgateError {
  return new FluxgateError('ERR_INTERNAL', `write refused: ${detail}`)
}
