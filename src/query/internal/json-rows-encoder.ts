import type { ResultColumn } from '../../storage/types.js'
import type { RowsEncoder } from './rows-encoder.js'
import { jsonValueWriter } from './value-formatter.js'
import type { JsonValueWriter, ResultValue } from './value-formatter.js'

/** One column as a row object shows it: its quoted key and how its values are written. */
interface Member {
  key: string
  write: JsonValueWriter
}

/**
 * Encodes rows as one JSON array of objects: `[]` without rows, keys in column order, null
 * values left out.
 */
export function jsonArrayEncoder(columns: ResultColumn[]): RowsEncoder {
  const members = membersOf(columns)
  let opened = false

  return {
    encodeBatch(batch) {
      let text = ''
      for (let row = 0; row < batch.rowCount; row++) {
        text += (opened ? ',' : '[') + rowObject(members, batch.columns, row)
        opened = true
      }
      return text
    },
    finish: () => (opened ? ']' : '[]'),
  }
}

/** Encodes rows as JSON Lines: one object per line, each ending in `\n`; no rows, no text. */
export function jsonLinesEncoder(columns: ResultColumn[]): RowsEncoder {
  const members = membersOf(columns)

  return {
    encodeBatch(batch) {
      let text = ''
      for (let row = 0; row < batch.rowCount; row++) {
        text += `${rowObject(members, batch.columns, row)}\n`
      }
      return text
    },
    finish: () => '',
  }
}

function membersOf(columns: ResultColumn[]): Member[] {
  return columns.map(({ name, type }) => ({
    key: `${JSON.stringify(name)}:`,
    write: jsonValueWriter(type),
  }))
}

// The innermost loop of every JSON answer: plain loops and string concatenation, no per-row
// arrays or closures.
function rowObject(members: Member[], cells: ResultValue[][], row: number): string {
  let text = '{'
  let separator = ''
  for (let index = 0; index < members.length; index++) {
    const value = cells[index]?.[row] ?? null
    const member = members[index]
    if (value === null || member === undefined) continue

    text += separator + member.key + member.write(value)
    separator = ','
  }
  return `${text}}`
}
