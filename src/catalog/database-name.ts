import { FluxgateError } from '../errors/index.js'

const maxNameBytes = 511
const badPolicyName =
  'db name with invalid retention policy, if providing a retention policy name, ' +
  "must be of form '<db_name>/<rp_name>'"

/**
 * Checks a database name with the reference's v3 rules (also used for `db/rp` names) and throws
 * ERR_INVALID_NAME with the reference's exact message when it breaks one.
 */
export function assertValidDatabaseName(name: string): void {
  const problem = databaseNameProblem(name)
  if (problem !== undefined) throw new FluxgateError('ERR_INVALID_NAME', problem)
}

/** The reference's message for a bad database name, or undefined when the name is valid. */
export function databaseNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'db name cannot be empty'
  if (Buffer.byteLength(name) > maxNameBytes) return `db name too long: max ${maxNameBytes}`
  if (!isAsciiAlphanumeric(name.charCodeAt(0))) {
    return 'db name did not start with a number or letter'
  }

  let slashes = 0
  for (let i = 1; i < name.length; i++) {
    const code = name.charCodeAt(i)
    if (code === 0x2f) slashes++
    else if (!isAsciiAlphanumeric(code) && code !== 0x5f && code !== 0x2d) {
      return 'invalid character in database or rp name: must be ASCII, containing only letters, numbers, underscores, or hyphens'
    }
  }

  if (slashes > 1 || name.endsWith('/')) return badPolicyName
  return undefined
}

/**
 * The database a v1 database and retention policy name, for writes and queries alike:
 * `autogen`, `default` and an empty policy mean the database itself, anything else the database
 * `<db>/<rp>`, the policy lower-cased. Throws ERR_INVALID_NAME for a policy on a name that
 * already holds one.
 */
export function withRetentionPolicy(db: string, rp: string | null | undefined): string {
  const policy =
    rp
      ?.trim()
      .replace(/^'(.*)'$/, '$1')
      .toLowerCase() ?? ''
  if (policy === '' || policy === 'autogen' || policy === 'default') return db
  if (db.includes('/')) throw new FluxgateError('ERR_INVALID_NAME', badPolicyName)
  return `${db}/${policy}`
}

function isAsciiAlphanumeric(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a)
  )
}
