import type { ResultBatch, ResultType } from '../../storage/types.js'
import { formatDisplayFloat, formatJsonFloat } from './float-formatter.js'
import { formatTimestamp } from './timestamp-formatter.js'

/** One value of a result batch, as the storage domain hands it over. */
export type ResultValue = ResultBatch['columns'][number][number]

/**
 * The JSON text of a value that is not null: a number literal for numbers (int64 and uint64
 * exactly, however large), `true`/`false`, and a string for timestamps, strings and the rest.
 */
export function jsonValueText(value: Exclude<ResultValue, null>, type: ResultType): string {
  switch (type) {
    case 'timestamp':
      return `"${formatTimestamp(toBigInt(value))}"`
    case 'int64':
    case 'uint64':
    case 'boolean':
      return String(value)
    case 'float64':
      return formatJsonFloat(Number(value))
    case 'string':
    case 'other':
      return JSON.stringify(String(value))
  }
}

/** The plain text of a value for CSV cells and pretty tables; null is the empty text. */
export function displayValueText(value: ResultValue, type: ResultType): string {
  if (value === null) return ''

  switch (type) {
    case 'timestamp':
      return formatTimestamp(toBigInt(value))
    case 'float64':
      return formatDisplayFloat(Number(value))
    case 'int64':
    case 'uint64':
    case 'boolean':
    case 'string':
    case 'other':
      return String(value)
  }
}

function toBigInt(value: Exclude<ResultValue, null>): bigint {
  return typeof value === 'bigint' ? value : BigInt(value)
}
