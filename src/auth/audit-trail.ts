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

/** Runs catalog writes in one transaction, with one sync. */
export type Atomically = <T>(work: () => T) => T

/**
 * The audit trail: sign-ins (both outcomes), refreshes, refresh-token reuse, sign-outs, password
 * changes, user and role changes, token creation and deletion, and denied requests, each with
 * its time, actor, target, client address and outcome. Admins and auditors read it as
 * `system.audit_log` in `_internal`.
 *
 * Events recorded in one turn of the event loop are written together in the next, in one
 * transaction: during a storm of sign-ins each would otherwise cost a sync of its own on the
 * request thread. Reading the trail writes what is pending first.
 */
export class AuditTrail {
  readonly #store: AuditStore
  readonly #clock: Clock
  readonly #atomically: Atomically
  #pending: AuditEntry[] = []
  #flushScheduled = false

  constructor(store: AuditStore, clock: Clock, atomically: Atomically) {
    this.#store = store
    this.#clock = clock
    this.#atomically = atomically
  }

  record(event: AuditEvent): void {
    const { actor, ...rest } = event
    this.#pending.push({
      ...rest,
      time: this.#clock.now(),
      actorKind: actor.kind,
      actorId: actor.id,
      actorName: actor.name,
    })
    this.#scheduleFlush()
  }

  /** The newest entries first. */
  list(limit: number): AuditRecord[] {
    this.flush()
    return this.#store.list({ limit })
  }

  /** Writes the pending events now; the server calls it before it stops. */
  flush(): void {
    const entries = this.#pending
    if (entries.length === 0) return

    this.#pending = []
    this.#atomically(() => {
      for (const entry of entries) this.#store.append(entry)
    })
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return

    this.#flushScheduled = true
    setImmediate(() => {
      this.#flushScheduled = false
      this.#flushInBackground()
    })
  }

  // A failed write (the catalog busy or closing) keeps the events for the next flush rather
  // than taking the process down from a timer.
  #flushInBackground(): void {
    const entries = this.#pending
    try {
      this.flush()
    } catch {
      this.#pending = [...entries, ...this.#pending]
    }
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
