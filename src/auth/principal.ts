import type { ApiTokenRecord } from './api-token-record.js'
import type { DatabaseAction, SystemResource } from './permission.js'

/**
 * Whoever a request acts for. `anonymous` is unrestricted only on a server started
 * `--without-auth`; otherwise it reaches only public and exempted endpoints.
 */
export type Principal =
  { kind: 'token'; token: ApiTokenRecord } | { kind: 'anonymous'; unrestricted: boolean }

/**
 * What a request wants to do. A database that does not exist yet has no id, so only a grant on
 * every database (`db:*`) covers it.
 */
export type Access =
  | { kind: 'database'; databaseId: number | undefined; actions: DatabaseAction[] }
  | { kind: 'system'; resource: SystemResource }
  | { kind: 'admin' }

/** The outcome of one authorization. */
export type Decision =
  { allowed: true } | { allowed: false; reason: 'no_grant' | 'not_authenticated' }
