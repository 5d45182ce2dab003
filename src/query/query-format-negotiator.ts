import { FluxgateError } from '../errors/index.js'

/** An output format of the query endpoints. */
export type QueryFormat = 'json' | 'jsonl' | 'csv' | 'pretty' | 'parquet'

const formatsByName = new Map<string, QueryFormat>([
  ['json', 'json'],
  ['jsonl', 'jsonl'],
  ['json_lines', 'jsonl'],
  ['csv', 'csv'],
  ['pretty', 'pretty'],
  ['parquet', 'parquet'],
])

const formatsByAccept = new Map<string, QueryFormat>([
  ['application/json', 'json'],
  ['*/*', 'json'],
  ['text/csv', 'csv'],
  ['text/plain', 'pretty'],
  ['application/vnd.apache.parquet', 'parquet'],
])

const contentTypes: Record<QueryFormat, string> = {
  json: 'application/json',
  jsonl: 'application/jsonl',
  csv: 'text/csv',
  pretty: 'text/plain; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
}

/**
 * Picks the output format of a query from the `format` parameter and the `Accept` header, as
 * InfluxDB 3 does: `format` wins, but `Accept` is checked even then. `Accept` matches whole
 * values only (`text/csv`, not `text/csv; charset=utf-8`), except that a value containing
 * `text/html` or the wildcard type, as browsers send, means json.
 *
 * Throws FluxgateError ERR_INVALID_MIME_TYPE (`invalid mime type (<Accept>)`) for any other
 * `Accept`, and ERR_BAD_REQUEST for an unknown `format`.
 *
 * @example
 * negotiateFormat(undefined, 'text/csv') // 'csv'
 * negotiateFormat('json_lines', 'text/html,application/xhtml+xml') // 'jsonl'
 */
export function negotiateFormat(
  format: string | undefined,
  accept: string | undefined,
): QueryFormat {
  const accepted = formatFromAccept(accept)
  if (format === undefined) return accepted

  const named = formatsByName.get(format)
  if (named === undefined) throw unknownFormat(format)

  return named
}

/** The `Content-Type` of a response body in `format`. */
export function contentTypeOf(format: QueryFormat): string {
  return contentTypes[format]
}

function formatFromAccept(accept: string | undefined): QueryFormat {
  if (accept === undefined) return 'json'

  const exact = formatsByAccept.get(accept)
  if (exact !== undefined) return exact
  if (accept.includes('text/html') || accept.includes('*/*')) return 'json'

  throw new FluxgateError('ERR_INVALID_MIME_TYPE', `invalid mime type (${accept})`)
}

function unknownFormat(format: string): FluxgateError {
  const expected = [...formatsByName.keys()].map((name) => `\`${name}\``).join(', ')

  return new FluxgateError(
    'ERR_BAD_REQUEST',
    `unknown variant \`${format}\`, expected one of ${expected}`,
  )
}
