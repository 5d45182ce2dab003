/** How an audited action ended: done, failed, or refused by authorization. */
export type AuditOutcome = 'success' | 'failure' | 'denied'

/** One event of the audit trail, as the caller describes it. Never holds a secret. */
export interface AuditEntry {
  time: Date
  /** What was attempted, e.g. `user_create` or `login`. */
  action: string
  outcome: AuditOutcome
  /** Who acted: e.g. `user`, `token`, `anonymous`, `system`. */
  actorKind: string
  actorId: string | undefined
  actorName: string | undefined
  /** What the action was aimed at, e.g. `user:7`. */
  target: string | undefined
  clientAddress: string | undefined
  detail: string | undefined
}

/** An audit entry once stored, with its id: ids ascend in the order entries were appended. */
export type AuditRecord = AuditEntry & { id: number }
