import { FluxgateError } from '../../../errors/index.js'

/** Reads a `true`/`false` query parameter; absent gives `fallback`. */
export function booleanParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name)
  if (value === null) return fallback
  if (value === 'true') return true
  if (value === 'false') return false

  throw new FluxgateError(
    'ERR_BAD_QUERY_STRING',
    `${name}: provided string was not \`true\` or \`false\``,
  )
}

/** Reads a required query parameter, failing like the reference's deserializer. */
export function requiredParam(query: URLSearchParams, name: string): string {
  const value = query.get(name)
  if (value === null) throw new FluxgateError('ERR_BAD_QUERY_STRING', `missing field \`${name}\``)
  return value
}
