import { defaultHardDeleteDelayMs } from '../../data/index.js'
import { FluxgateError } from '../../errors/index.js'
import { empty } from '../replies.js'
import type { Route } from '../route.js'
import { databaseAccess } from './internal/database-access.js'

/**
 * `DELETE /api/v3/configure/database?db=…[&hard_delete_at=never|now|default|RFC3339]`: soft
 * delete; the name is free at once and the data goes at the hard-delete time (default 72 h).
 */
export const databaseDelete: Route = {
  method: 'DELETE',
  path: '/api/v3/configure/database',
  access: { kind: 'scoped' },
  async handle(request, context) {
    const db = request.query.get('db')
    if (db === null) throw new FluxgateError('ERR_BAD_REQUEST', "missing query parameters 'db'")
    request.authorize(databaseAccess(context, db, ['delete']))

    const now = context.clock.now().getTime()
    const hardDeleteAt = parseHardDeleteAt(request.query.get('hard_delete_at') ?? 'default', now)
    await context.databases.deleteDatabase(db, hardDeleteAt)
    return empty(200)
  },
}

/** `never` → undefined; `now`, `default` (72 h) or an RFC 3339 time (a past one means now). */
export function parseHardDeleteAt(value: string, nowMs: number): Date | undefined {
  if (value === 'never') return undefined
  if (value === 'now') return new Date(nowMs)
  if (value === 'default') return new Date(nowMs + defaultHardDeleteDelayMs)

  const at = isRealDate(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(at)) throw new FluxgateError('ERR_INVALID_HARD_DELETE', value)
  return new Date(Math.max(at, nowMs))
}

/** The shape of RFC 3339, and a calendar date and time that exist (no 30 February, no 24:00). */
function isRealDate(value: string): boolean {
  const match = rfc3339.exec(value)
  if (match === null) return false

  const [, y, mo, d, h, mi, s] = match.map(Number)
  const probe = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1))
  const dateExists =
    probe.getUTCFullYear() === y && probe.getUTCMonth() + 1 === mo && probe.getUTCDate() === d
  return dateExists && (h ?? 0) < 24 && (mi ?? 0) < 60 && (s ?? 0) < 61
}

const rfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/
