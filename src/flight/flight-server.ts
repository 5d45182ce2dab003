import type { Duplex } from 'node:stream'

import { Server, ServerCredentials } from '@grpc/grpc-js'
import type { Logger } from 'pino'

import type { RequestGate } from '../auth/index.js'
import { FluxgateError } from '../errors/index.js'
import type { ServerContext } from '../http/index.js'
import { handleDoGet } from './do-get-handler.js'
import type { DoGetCall } from './do-get-handler.js'
import { flightServiceDefinition } from './flight-service-definition.js'

/** What the Flight service shares with the HTTP side. */
export interface FlightServerOptions {
  context: ServerContext
  gate: RequestGate
  log: Logger
  /** How often a running stream checks again that its principal may read (SE-4); 2 s. */
  recheckMs?: number
}

/** Arrow Flight over gRPC, fed with connections from the shared listener. */
export interface FlightServer {
  /** Serves a connection that opened with the HTTP/2 preface. */
  injectConnection(socket: Duplex): void
  /** Ends running streams with UNAVAILABLE and closes every gRPC connection. */
  close(): Promise<void>
}

const defaultRecheckMs = 2_000
/** How long stopping waits for gRPC connections to close before cutting them. */
const closeGraceMs = 2_000

/**
 * Builds the gRPC server of Arrow Flight's `DoGet`. It never listens by itself: the HTTP
 * listener hands it the connections that speak HTTP/2 (see `server/protocol-splitter.ts`), so
 * Flight and the HTTP API share one port as in InfluxDB 3.
 */
export function createFlightServer(options: FlightServerOptions): FlightServer {
  const server = new Server()
  const running = new Set<AbortController>()
  const deps = {
    context: options.context,
    gate: options.gate,
    log: options.log.child({ protocol: 'flight' }),
    recheckMs: options.recheckMs ?? defaultRecheckMs,
    running,
  }
  server.addService(flightServiceDefinition(), {
    DoGet: (call: DoGetCall) => handleDoGet(call, deps),
  })
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure())

  return {
    injectConnection: (socket) => injector.injectConnection(socket),
    close: () => shutdown(server, running),
  }
}

// Running streams end first, so that the graceful close has only idle connections to wait for;
// a client that keeps a stream open past the grace is cut off.
function shutdown(server: Server, running: Set<AbortController>): Promise<void> {
  for (const stream of running) stream.abort(new FluxgateError('ERR_SHUTTING_DOWN'))

  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown()
      resolve()
    }, closeGraceMs)
    server.tryShutdown(() => {
      clearTimeout(timer)
      resolve()
    })
  })
}
