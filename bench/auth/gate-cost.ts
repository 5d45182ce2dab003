/**
 * The cost of the authentication step alone, in process: the request gate reading a Bearer
 * header, hashing the token and finding it, against a gate started `--without-auth`. Unlike the
 * HTTP benchmark, this figure hardly moves with machine noise.
 *
 *   node --import tsx bench/auth/gate-cost.ts [iterations]
 */
import type { IncomingMessage } from 'node:http'

import { pino } from 'pino'

import { RequestGate, TokenRegistry, adminPermission } from '../../src/auth/index.js'
import { openSqliteCatalogStore } from '../../src/catalog/index.js'
import { systemClock } from '../../src/shared/index.js'

const iterations = Number(process.argv[2] ?? 200_000)
const log = pino({ level: 'silent' })
const registry = new TokenRegistry(openSqliteCatalogStore(':memory:'), systemClock)
for (let i = 0; i < 1_000; i++) {
  registry.create({
    name: `t${i}`,
    permissions: [adminPermission],
    expiresAt: undefined,
    createdBy: undefined,
  })
}
const { secret } = registry.create({
  name: 'bench',
  permissions: [{ resourceType: 'system', names: ['ping'] }],
  expiresAt: undefined,
  createdBy: undefined,
})

const request = { headers: { authorization: `Bearer ${secret}` } } as unknown as IncomingMessage
const url = new URL('http://fluxgate.invalid/ping')
const access = { kind: 'system', resource: 'ping' } as const

function nanosPerCall(gate: RequestGate): number {
  for (let i = 0; i < 10_000; i++) gate.admit(request, url, access, log)
  const started = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) gate.admit(request, url, access, log)
  return Number(process.hrtime.bigint() - started) / iterations
}

const exemptPaths = new Set<string>()
const open = new RequestGate({
  registry,
  withoutAuth: true,
  exemptPaths,
  sessions: undefined,
  users: undefined,
})
const guarded = new RequestGate({
  registry,
  withoutAuth: false,
  exemptPaths,
  sessions: undefined,
  users: undefined,
})
const withoutAuth = nanosPerCall(open)
const withToken = nanosPerCall(guarded)
console.log(`gate cost over ${iterations.toLocaleString('en-US')} calls, 1,001 tokens registered`)
console.log(`| gate | ns per request |`)
console.log(`| --- | --- |`)
console.log(`| --without-auth | ${withoutAuth.toFixed(0)} |`)
console.log(`| resource token (hash + lookup + authorize) | ${withToken.toFixed(0)} |`)
console.log(`added per request: ${((withToken - withoutAuth) / 1000).toFixed(2)} µs`)
