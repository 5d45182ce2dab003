import type { SystemTable } from '../storage/index.js'
import type { AuditTrail } from './audit-trail.js'

/** The newest entries a query of `system.audit_log` sees. */
const maxRows = 10_000

/**
 * `system.audit_log` of the `_internal` database: the audit trail, newest first, for those who
 * may read `_internal` (admins and auditors). It holds no secret by construction: the trail
 * records none.
 */
export function auditSystemTable(trail: AuditTrail): SystemTable {
  const columns: SystemTable['columns'] = [
    { name: 'id', type: 'UBIGINT' },
    { name: 'time', type: 'TIMESTAMP_MS' },
    { name: 'action', type: 'VARCHAR' },
    { name: 'outcome', type: 'VARCHAR' },
    { name: 'actor_kind', type: 'VARCHAR' },
    { name: 'actor_id', type: 'VARCHAR' },
    { name: 'actor_name', type: 'VARCHAR' },
    { name: 'target', type: 'VARCHAR' },
    { name: 'client_address', type: 'VARCHAR' },
    { name: 'detail', type: 'VARCHAR' },
  ]
  const rows = trail
    .list(maxRows)
    .map((entry) => [
      entry.id,
      entry.time,
      entry.action,
      entry.outcome,
      entry.actorKind,
      entry.actorId ?? null,
      entry.actorName ?? null,
      entry.target ?? null,
      entry.clientAddress ?? null,
      entry.detail ?? null,
    ])
  return { name: 'audit_log', columns, rows }
}
