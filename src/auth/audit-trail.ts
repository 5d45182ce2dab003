import type { AuditEntry, AuditRecord, AuditStore } from '../catalog/index.js'
import type { Clock } from '../shared/index.js'
import type { Principal } from './principal.js'

/** Who did something, as the audit trail names them. */
export interface AuditActor {
  kind: string
  id: string | undefined
  name: string | undefined
}

/** One event to record; the trail adds the time. Never a secret in any field. */
export type AuditEvent = Omit<AuditEntry, 'time' | 'actorKind' | 'actorId' | 'actorName'> & {
  actor: AuditActor
}

/**
 * The audit trail: sign-ins (both outcomes), refreshes, refresh-token reuse, sign-outs, password
 * changes, user and role changes, token creation and deletion, and denied requests, each with
 * its time, actor, target, client address and outcome. Admins and auditors read it as
 * `system.audit_log` in `_internal`.
 */
export class AuditTrail {
  readonly #store: AuditStore
  readonly #clock: Clock

  constructor(store: AuditStore, clock: Clock) {
    this.#store = store
    this.#clock = clock
  }

  record(event: AuditEvent): AuditRecord {
    const { actor, ...rest } = event
    return this.#store.append({
      ...rest,
      time: this.#clock.now(),
      actorKind: actor.kind,
      actorId: actor.id,
      actorName: actor.name,
    })
  }

  /** The newest entries first. */
  list(limit: number): AuditRecord[] {
    return this.#store.list({ limit })
  }
}

/** The actor a principal is, for the trail. */
export function actorOf(principal: Principal): AuditActor {
  switch (principal.kind) {
    case 'user':
      return { kind: 'user', id: String(principal.userId), name: principal.username }
    case 'token':
      return { kind: 'token', id: String(principal.token.id), name: principal.token.name }
    case 'anonymous':
      return { kind: 'anonymous', id: undefined, name: undefined }
  }
}
