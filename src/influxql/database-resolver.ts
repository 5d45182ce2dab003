import { withRetentionPolicy } from '../catalog/index.js'
import { FluxgateError } from '../errors/index.js'
import type { Source, Statement } from './influxql-ast.js'
import { invalidStatement } from './influxql-errors.js'

/**
 * How a query's own database and the `db` parameter combine: the v3 endpoints refuse a
 * mismatch, the v1 `/query` lets the query's database win (reference §8.4, §8.6).
 */
export type DatabaseRule = 'v3' | 'v1'

/**
 * The database a statement reads, from `FROM db.rp.m`, `ON db` or the `db` parameter, with a
 * retention policy in the query naming the database `<db>/<rp>` as v1 writes do. Undefined for
 * SHOW DATABASES, which reads none. Resolve once: the result already holds the policy.
 *
 * Throws ERR_INFLUXQL_NO_DATABASE when no database is named, or (rule `v3`) when the query
 * and the parameter name different ones.
 */
export function resolveDatabase(
  statement: Statement,
  param: string | undefined,
  rule: DatabaseRule,
): string | undefined {
  if (statement.kind === 'show-databases') return undefined

  const named = namedDatabase(statement)
  const policy = statementSource(statement)?.retentionPolicy
  const given = param === undefined || param === '' ? undefined : param
  if (named !== undefined && given !== undefined && rule === 'v3' && named !== given) {
    throw new FluxgateError(
      'ERR_INFLUXQL_NO_DATABASE',
      `provided a database in both the parameters (${given}) and query string (${named}) ` +
        'that do not match, if providing a query with specified database, ' +
        "remove the 'db' parameter",
    )
  }

  const database = named ?? given
  if (database === undefined) {
    throw new FluxgateError(
      'ERR_INFLUXQL_NO_DATABASE',
      "must specify a 'db' parameter, or provide the database in the InfluxQL query",
    )
  }
  return withRetentionPolicy(database, policy)
}

function statementSource(statement: Statement): Source | undefined {
  if (statement.kind === 'select') return statement.source
  if (statement.kind === 'show-databases') return undefined
  return statement.source
}

function namedDatabase(statement: Statement): string | undefined {
  const fromSource = statementSource(statement)?.database
  const on =
    statement.kind === 'select' || statement.kind === 'show-databases'
      ? undefined
      : statement.database
  if (on !== undefined && fromSource !== undefined && on !== fromSource) {
    throw invalidStatement(`ON ${on} and FROM ${fromSource} name different databases`)
  }
  return on ?? fromSource
}
