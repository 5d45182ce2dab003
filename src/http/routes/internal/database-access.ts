import type { Access, DatabaseAction } from '../../../auth/index.js'
import { INTERNAL_DATABASE } from '../../../catalog/index.js'
import type { DatabaseRecord } from '../../../catalog/index.js'
import type { ServerContext } from '../../server-context.js'

/**
 * The access a request on database `name` needs. `_internal` holds system tables: only admins
 * and auditors read it. A database that does not exist yet is covered only by a grant on all
 * databases.
 */
export function databaseAccess(
  context: ServerContext,
  name: string,
  actions: DatabaseAction[],
): Access {
  if (name === INTERNAL_DATABASE) return { kind: 'internal', actions }

  const db = context.databases.catalog.findDatabase(name)
  return { kind: 'database', databaseId: db?.id, actions }
}

/** Who may see that `db` exists (listings, SHOW DATABASES): `describe`; `_internal` admins. */
export function describeAccess(db: DatabaseRecord): Access {
  if (db.name === INTERNAL_DATABASE) return { kind: 'admin' }
  return { kind: 'database', databaseId: db.id, actions: ['describe'] }
}
