import type { FieldValue, LineBatch } from './types.js'

/**
 * Field `field` of a batch as one typed value.
 *
 * @example
 * const batch = parseLineBatch('m a=1i,b="x"')
 * fieldValueOf(batch, 1) // { type: 'string', value: 'x' }
 */
export function fieldValueOf(batch: LineBatch, field: number): FieldValue {
  const value = batch.fieldValues[field]
  switch (batch.fieldTypes[field]) {
    case 'float':
      return { type: 'float', value: Number(value) }
    case 'integer':
      return { type: 'integer', value: BigInt(value ?? 0) }
    case 'uinteger':
      return { type: 'uinteger', value: BigInt(value ?? 0) }
    case 'boolean':
      return { type: 'boolean', value: value === true }
    default:
      return { type: 'string', value: String(value) }
  }
}

/** The raw text of line `line` of a batch, as quoted in error reports. */
export function originalLineOf(batch: LineBatch, line: number): string {
  return batch.text.slice(batch.lineStarts[line], batch.lineEnds[line])
}
