import type { AuditEntry, AuditRecord } from './audit-record.js'

/** Durable, append-only home of the audit trail. */
export interface AuditStore {
  /** Stores the entry under the next id. Cheap enough to call on every audited request. */
  append(entry: AuditEntry): AuditRecord
  /**
   * Up to `limit` entries, newest first; with `beforeId`, only entries older than that id, so
   * the last id of one page asks for the next.
   */
  list(options: { limit: number; beforeId?: number }): AuditRecord[]
}
