/** A JSON value whose integers may be bigints, as v1 answers hold nanosecond times. */
export type JsonValue =
  string | number | bigint | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined }

/**
 * JSON text like `JSON.stringify`, but bigints are written as exact integers and non-finite
 * numbers as null. `indent` gives Go's `MarshalIndent` layout, which `pretty=true` asks for.
 */
export function jsonText(value: JsonValue, indent = '', depth = 0): string {
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)

  const inner = indent === '' ? '' : `\n${indent.repeat(depth + 1)}`
  const outer = indent === '' ? '' : `\n${indent.repeat(depth)}`
  const colon = indent === '' ? ':' : ': '
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    const items = value.map((item) => inner + jsonText(item, indent, depth + 1))
    return `[${items.join(',')}${outer}]`
  }

  const members = Object.entries(value).filter(
    (entry): entry is [string, JsonValue] => entry[1] !== undefined,
  )
  if (members.length === 0) return '{}'
  const items = members.map(
    ([key, item]) => `${inner}${JSON.stringify(key)}${colon}${jsonText(item, indent, depth + 1)}`,
  )
  return `{${items.join(',')}${outer}}`
}
