import type { ResultBatch, ResultType } from '../../storage/types.js'
import { formatDisplayFloat, formatJsonFloat } from './float-formatter.js'
import { formatTimestamp } from './timestamp-formatter.js'

/** One value of a result batch, as the storage domain hands it over. */
export type ResultValue = ResultBatch['columns'][number][number]

/** One value of a result batch that is not null. */
export type PresentValue = Exclude<ResultValue, null>

/** Turns a value that is not null into text; one per column type, picked once per result. */
export type JsonValueWriter = (value: PresentValue) => string

/** Turns a value into text; null is the empty text. */
export type DisplayValueWriter = (value: ResultValue) => string

const jsonWriters: Record<ResultType, JsonValueWriter> = {
  timestamp: (value) => `"${formatTimestamp(toBigInt(value))}"`,
  int64: String,
  uint64: String,
  boolean: String,
  float64: (value) => formatJsonFloat(Number(value)),
  string: (value) => jsonString(String(value)),
  other: (value) => jsonString(String(value)),
}

const displayWriters: Record<ResultType, DisplayValueWriter> = {
  timestamp: (value) => (value === null ? '' : formatTimestamp(toBigInt(value))),
  float64: (value) => (value === null ? '' : formatDisplayFloat(Number(value))),
  int64: plainText,
  uint64: plainText,
  boolean: plainText,
  string: plainText,
  other: plainText,
}

/**
 * The JSON text of values of `type`: a number literal for numbers (int64 and uint64 exactly,
 * however large), `true`/`false`, and a string for timestamps, strings and the rest.
 */
export function jsonValueWriter(type: ResultType): JsonValueWriter {
  return jsonWriters[type]
}

/** The JSON text of one value that is not null; see `jsonValueWriter`. */
export function jsonValueText(value: PresentValue, type: ResultType): string {
  return jsonWriters[type](value)
}

/** The plain text of values of `type` for CSV cells and pretty tables; null is the empty text. */
export function displayValueWriter(type: ResultType): DisplayValueWriter {
  return displayWriters[type]
}

/** The plain text of one value; see `displayValueWriter`. */
export function displayValueText(value: ResultValue, type: ResultType): string {
  return displayWriters[type](value)
}

// Anything but printable ASCII without quotes or backslashes goes through JSON.stringify; the
// rest, most tag values among them, needs no escaping and is quoted about three times faster.
const mayNeedEscaping = /[^\x20-\x7e]|["\\]/

function jsonString(text: string): string {
  return mayNeedEscaping.test(text) ? JSON.stringify(text) : `"${text}"`
}

function plainText(value: ResultValue): string {
  return value === null ? '' : String(value)
}

function toBigInt(value: PresentValue): bigint {
  return typeof value === 'bigint' ? value : BigInt(value)
}
