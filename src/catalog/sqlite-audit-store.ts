import type Database from 'better-sqlite3'

import { FluxgateError } from '../errors/index.js'
import type { AuditEntry, AuditOutcome, AuditRecord } from './audit-record.js'
import type { AuditStore } from './audit-store.js'
import { orUndefined } from './internal/sqlite-values.js'

const auditSchema = `
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  actor_kind TEXT NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  target TEXT,
  client_address TEXT,
  detail TEXT
);
`

interface AuditRow {
  id: number
  time: number
  action: string
  outcome: AuditOutcome
  actor_kind: string
  actor_id: string | null
  actor_name: string | null
  target: string | null
  client_address: string | null
  detail: string | null
}

/** Creates the audit table when missing. */
export function createAuditTable(db: Database.Database): void {
  db.exec(auditSchema)
}

/** The AuditStore of a SQLite catalog, sharing the catalog's connection. */
export class SqliteAuditStore implements AuditStore {
  readonly #sql: ReturnType<typeof prepareAuditStatements>

  constructor(db: Database.Database) {
    this.#sql = prepareAuditStatements(db)
  }

  append(entry: AuditEntry): AuditRecord {
    const { lastInsertRowid } = this.#sql.append.run(toAuditRow(entry))
    return { ...entry, id: Number(lastInsertRowid) }
  }

  list(options: { limit: number; beforeId?: number }): AuditRecord[] {
    const { limit, beforeId } = options
    // SQLite reads a negative LIMIT as no limit at all, so a bad one is refused here.
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new FluxgateError('ERR_INTERNAL', `audit list limit ${limit} is not a count`)

    const rows =
      beforeId === undefined
        ? this.#sql.newest.all(limit)
        : this.#sql.before.all({ beforeId, limit })
    return rows.map(toAuditRecord)
  }
}

function prepareAuditStatements(db: Database.Database) {
  return {
    append: db.prepare<Omit<AuditRow, 'id'>>(
      `INSERT INTO audit_log (time, action, outcome, actor_kind, actor_id, actor_name, target,
         client_address, detail)
       VALUES (@time, @action, @outcome, @actor_kind, @actor_id, @actor_name, @target,
         @client_address, @detail)`,
    ),
    newest: db.prepare<[number], AuditRow>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?'),
    before: db.prepare<{ beforeId: number; limit: number }, AuditRow>(
      'SELECT * FROM audit_log WHERE id < @beforeId ORDER BY id DESC LIMIT @limit',
    ),
  }
}

function toAuditRow(entry: AuditEntry): Omit<AuditRow, 'id'> {
  return {
    time: entry.time.getTime(),
    action: entry.action,
    outcome: entry.outcome,
    actor_kind: entry.actorKind,
    actor_id: entry.actorId ?? null,
    actor_name: entry.actorName ?? null,
    target: entry.target ?? null,
    client_address: entry.clientAddress ?? null,
    detail: entry.detail ?? null,
  }
}

function toAuditRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    time: new Date(row.time),
    action: row.action,
    outcome: row.outcome,
    actorKind: row.actor_kind,
    actorId: orUndefined(row.actor_id),
    actorName: orUndefined(row.actor_name),
    target: orUndefined(row.target),
    clientAddress: orUndefined(row.client_address),
    detail: orUndefined(row.detail),
  }
}
