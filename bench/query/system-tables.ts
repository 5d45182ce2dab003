/**
 * The cost of a query on `_internal`, whose system tables (tokens, audit trail) are rebuilt from
 * the server's state before each query. Fills the audit trail with N denied requests (default
 * 10,000, the most the `audit_log` table shows), then times `SELECT count(*)` on it.
 *
 *   node --import tsx bench/query/system-tables.ts [audit rows]
 */
import { loadavg } from 'node:os'

import {
  createResourceToken,
  dbPermission,
  withOperator,
} from '../../test/support/auth-requests.js'
import { startTestServer } from '../../test/support/test-server.js'
import { formatMs, median } from './bench-timing.js'

const auditRows = Number(process.argv[2] ?? 10_000)
const runs = 7
const countAudit = '/api/v3/query_sql?db=_internal&q=SELECT+count(*)+AS+n+FROM+system.audit_log'

const app = await startTestServer()
try {
  await fillAuditTrail(auditRows)
  const times: number[] = []
  for (let run = 0; run < runs; run++) times.push(await timeQuery())

  console.log(`audit rows ${auditRows}, ${runs} runs, load average ${loadavg()[0]?.toFixed(1)}`)
  console.log(`_internal count(*): median ${formatMs(median(times))} ms`)
} finally {
  await app.close()
}

// A token that may read one database only: each query of another one is denied and audited.
async function fillAuditTrail(rows: number): Promise<void> {
  assertStatus(await app.write('allowed', 'm v=1 1'), 204)
  const grant = [dbPermission(['allowed'], ['read'])]
  const { token } = await createResourceToken(withOperator(app), 'bench-denied', grant)
  for (let sent = 0; sent < rows; sent += 100) {
    const denied = Array.from({ length: Math.min(100, rows - sent) }, () =>
      app.fetchAs(token, '/api/v3/query_sql?db=other&q=SELECT+1'),
    )
    for (const res of await Promise.all(denied)) assertStatus(res, 403)
  }
}

async function timeQuery(): Promise<number> {
  const started = performance.now()
  const res = await app.fetch(countAudit)
  const body = await res.text()
  if (res.status !== 200) throw new Error(`query failed: ${res.status} ${body}`)
  return performance.now() - started
}

function assertStatus(res: Response, expected: number): void {
  if (res.status !== expected) throw new Error(`expected ${expected}, got ${res.status}`)
}
