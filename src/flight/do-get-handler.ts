import { once } from 'node:events'

import { status } from '@grpc/grpc-js'
import type { ServerWritableStream } from '@grpc/grpc-js'
import type { Logger } from 'pino'

import { actorOf, authorize } from '../auth/index.js'
import type { Principal, RequestGate } from '../auth/index.js'
import { FluxgateError } from '../errors/index.js'
import type { DatabaseRecord } from '../catalog/index.js'
import { databaseAccess, describeAccess, logPolicy } from '../http/index.js'
import type { ServerContext } from '../http/index.js'
import { uuidv7 } from '../shared/index.js'
import type { QueryResult } from '../storage/index.js'
import { FlightDataEncoder } from './flight-data-encoder.js'
import type { FlightData } from './flight-data-encoder.js'
import { flightStatusOf, toServiceError } from './flight-status.js'
import type { FlightStatus } from './flight-status.js'
import { parseFlightTicket } from './flight-ticket.js'
import type { FlightTicket } from './flight-ticket.js'
import { watchPrincipal } from './principal-watch.js'

/** The `Ticket` message of a `DoGet` call. */
export interface TicketMessage {
  ticket: Uint8Array
}

/** A `DoGet` call as grpc-js hands it over. */
export type DoGetCall = ServerWritableStream<TicketMessage, FlightData>

/** What `DoGet` works with. */
export interface DoGetDeps {
  context: ServerContext
  gate: RequestGate
  log: Logger
  /** How often a running stream checks again that its principal may read (SE-4). */
  recheckMs: number
  /** The streams still running; the server aborts them when it stops. */
  running: Set<AbortController>
}

/** How one call went, for its log line. */
interface CallRecord {
  ticket: FlightTicket | undefined
  principal: Principal | undefined
  rows: number
  started: bigint
}

const cancelledByClient = new FluxgateError('ERR_QUERY_CANCELLED', 'cancelled by the client')

/**
 * Answers `DoGet`: reads the ticket, authenticates the `authorization` metadata as the HTTP
 * gate does, asks the authorizer for read access to the database the query reads (for InfluxQL,
 * the one it names, which may differ from the ticket's), runs the query and streams
 * its batches as Arrow IPC, waiting for the client between messages. The query stops when the
 * client cancels, when the server stops, or when the principal loses its access (SE-4).
 */
export function handleDoGet(call: DoGetCall, deps: DoGetDeps): void {
  void serveDoGet(call, { ...deps, log: deps.log.child({ reqId: uuidv7() }) })
}

async function serveDoGet(call: DoGetCall, deps: DoGetDeps): Promise<void> {
  const record: CallRecord = { ticket: undefined, principal: undefined, rows: 0, started: now() }
  const controller = new AbortController()
  call.on('cancelled', () => controller.abort(cancelledByClient))
  deps.running.add(controller)
  let stopWatch = () => {}

  try {
    const ticket = parseFlightTicket(call.request.ticket)
    record.ticket = ticket
    const principal = await authenticate(call, deps)
    record.principal = principal
    const query = prepareQuery(ticket, principal, deps.context, controller.signal)
    checkRead(call, principal, query.database, deps)
    stopWatch = watchPrincipal(
      async () => checkRead(call, await authenticate(call, deps), query.database, deps),
      deps.recheckMs,
      (error) => controller.abort(error),
    )
    const result = await query.run()
    await streamResult(call, result, controller.signal, record)
    finish(call, { code: status.OK, details: 'OK' }, record, deps)
  } catch (error) {
    fail(call, controller.signal.aborted ? controller.signal.reason : error, record, deps)
  } finally {
    stopWatch()
    deps.running.delete(controller)
  }
}

/** Authenticates the call's credential as the HTTP gate does; throws when it fails. */
function authenticate(call: DoGetCall, deps: DoGetDeps): Promise<Principal> {
  return deps.gate.authenticateAuthorization(authorizationOf(call), deps.log, call.getPeer())
}

/** Throws ERR_AUTH_FORBIDDEN unless `principal` may read `database` (none: SHOW DATABASES). */
function checkRead(
  call: DoGetCall,
  principal: Principal,
  database: string | undefined,
  deps: DoGetDeps,
): void {
  if (database === undefined) return
  if (authorize(principal, databaseAccess(deps.context, database, ['read'])).allowed) return

  recordDenial(call, principal, deps)
  throw new FluxgateError('ERR_AUTH_FORBIDDEN')
}

// gRPC metadata keys arrive in lower case whatever the client wrote; more than one value is
// as malformed as a header sent twice.
function authorizationOf(call: DoGetCall): string | undefined {
  const values = call.metadata.get('authorization')
  if (values.length === 0) return undefined

  const [value] = values
  return values.length === 1 && typeof value === 'string' ? value : ''
}

/** A ticket's query and the one database it reads, known before it runs. */
interface PreparedQuery {
  database: string | undefined
  run(): Promise<QueryResult>
}

function prepareQuery(
  ticket: FlightTicket,
  principal: Principal,
  context: ServerContext,
  signal: AbortSignal,
): PreparedQuery {
  const { database, params } = ticket
  if (ticket.language === 'sql') {
    return {
      database,
      run: () => context.queries.sql({ database, sql: ticket.query, params, signal }),
    }
  }

  // InfluxQL may name its own database or policy (`FROM rp.m`): that one is the one authorized.
  const target = context.queries.influxqlTarget(ticket.query, database, 'v3')
  const canDescribe = (db: DatabaseRecord) => authorize(principal, describeAccess(db)).allowed
  return {
    database: target.database,
    run: () => context.queries.influxql({ target, params, signal, canDescribe }),
  }
}

async function streamResult(
  call: DoGetCall,
  result: QueryResult,
  signal: AbortSignal,
  record: CallRecord,
): Promise<void> {
  const encoder = new FlightDataEncoder(result.columns)
  for await (const batch of result.batches) {
    signal.throwIfAborted()
    await send(call, encoder.encode(batch), signal)
    record.rows += batch.rowCount
  }
  await send(call, encoder.finish(), signal)
}

// A full write buffer means the client reads slower than the query runs: wait for it, so a
// large result never piles up in memory.
async function send(call: DoGetCall, messages: FlightData[], signal: AbortSignal): Promise<void> {
  for (const message of messages) {
    if (!call.write(message)) await once(call, 'drain', { signal })
  }
}

function fail(call: DoGetCall, error: unknown, record: CallRecord, deps: DoGetDeps): void {
  const outcome = flightStatusOf(error)
  if (outcome.code === status.INTERNAL) {
    deps.log[logPolicy.requestFailed]({ err: error }, 'flight call failed')
  }
  finish(call, outcome, record, deps)
}

// A call the client cancelled has no one left to tell.
function finish(call: DoGetCall, outcome: FlightStatus, record: CallRecord, deps: DoGetDeps) {
  if (!call.cancelled) {
    if (outcome.code === status.OK) call.end()
    else call.emit('error', toServiceError(outcome))
  }
  countQuery(outcome, record, deps.context)
  logCall(outcome, record, deps.log)
}

function countQuery(outcome: FlightStatus, record: CallRecord, context: ServerContext): void {
  if (record.principal === undefined || record.ticket === undefined) return

  const result = outcome.code === status.OK ? 'ok' : 'error'
  context.metrics.queries.inc({ language: record.ticket.language, outcome: result })
}

function recordDenial(call: DoGetCall, principal: Principal, deps: DoGetDeps): void {
  deps.context.audit.record({
    action: 'request_denied',
    outcome: 'denied',
    actor: actorOf(principal),
    target: `gRPC ${call.getPath()}`,
    clientAddress: call.getPeer(),
    detail: undefined,
  })
}

// One line per call, never with the credential; the database and query kind are not secret.
function logCall(outcome: FlightStatus, record: CallRecord, log: Logger): void {
  const level =
    outcome.code === status.OK || outcome.code === status.CANCELLED
      ? logPolicy.requestCompleted
      : outcome.code === status.INTERNAL
        ? logPolicy.requestFailed
        : logPolicy.requestRejected
  if (!log.isLevelEnabled(level)) return

  const actor = record.principal === undefined ? undefined : actorOf(record.principal)
  log[level](
    {
      method: 'DoGet',
      database: record.ticket?.database,
      queryType: record.ticket?.language,
      actor: actor === undefined ? undefined : { kind: actor.kind, id: actor.id },
      status: status[outcome.code],
      rows: record.rows,
      ms: Math.round(Number(now() - record.started) / 1e4) / 100,
    },
    'flight call completed',
  )
}

function now(): bigint {
  return process.hrtime.bigint()
}
