import type { ResultBatch, ResultColumn } from '../../storage/types.js'
import type { RowsEncoder } from './rows-encoder.js'
import { jsonValueText } from './value-formatter.js'

/**
 * Encodes rows as one JSON array of objects: `[]` without rows, keys in column order, null
 * values left out.
 */
export function jsonArrayEncoder(columns: ResultColumn[]): RowsEncoder {
  const encodeRow = rowObjectEncoder(columns)
  let opened = false

  return {
    encodeBatch(batch) {
      let text = ''
      for (let row = 0; row < batch.rowCount; row++) {
        text += (opened ? ',' : '[') + encodeRow(batch, row)
        opened = true
      }
      return text
    },
    finish: () => (opened ? ']' : '[]'),
  }
}

/** Encodes rows as JSON Lines: one object per line, each ending in `\n`; no rows, no text. */
export function jsonLinesEncoder(columns: ResultColumn[]): RowsEncoder {
  const encodeRow = rowObjectEncoder(columns)

  return {
    encodeBatch(batch) {
      let text = ''
      for (let row = 0; row < batch.rowCount; row++) text += encodeRow(batch, row) + '\n'
      return text
    },
    finish: () => '',
  }
}

function rowObjectEncoder(columns: ResultColumn[]): (batch: ResultBatch, row: number) => string {
  const fields = columns.map(({ name, type }) => ({ key: `${JSON.stringify(name)}:`, type }))

  return (batch, row) => {
    const members: string[] = []
    fields.forEach(({ key, type }, index) => {
      const value = batch.columns[index]?.[row] ?? null
      if (value !== null) members.push(key + jsonValueText(value, type))
    })
    return `{${members.join(',')}}`
  }
}
