import type { IncomingMessage } from 'node:http'

import type { Logger } from 'pino'

import type { Access, Principal, RouteAccess } from '../auth/index.js'
import type { ServerContext } from './server-context.js'

/** The methods Fluxgate's routes answer. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** What a handler sees of a request: parsed parts, never raw credentials. */
export interface RouteRequest {
  method: HttpMethod
  path: string
  /** The values of the route's `{name}` path segments, decoded. */
  params: Readonly<Record<string, string>>
  query: URLSearchParams
  /** The raw query string without `?`, or undefined when the URL had none. */
  rawQuery: string | undefined
  headers: IncomingMessage['headers']
  principal: Principal
  /** The client's address, for checks such as loopback-only bootstrap. */
  remoteAddress: string | undefined
  /** Asks the authorizer; throws ERR_AUTH_FORBIDDEN (403) when the principal may not. */
  authorize(access: Access): void
  /** Asks the authorizer without throwing, e.g. to filter a listing. */
  mayAccess(access: Access): boolean
  /** Reads the body once: size-limited and decompressed. */
  body(): Promise<Buffer>
  /** Aborts when the client goes away. */
  signal: AbortSignal
  log: Logger
}

/** A complete answer. */
export interface BufferedReply {
  status: number
  /** A list sends the header once per value, as `Set-Cookie` needs. */
  headers?: Record<string, string | string[]>
  body?: string | Uint8Array
}

/** An answer written piece by piece, for large query results. */
export interface StreamedReply {
  status: number
  headers: Record<string, string>
  /** Writes the body; the pipeline ends the response afterwards. */
  stream(write: (chunk: string | Uint8Array) => Promise<void>): Promise<void>
}

export type Reply = BufferedReply | StreamedReply

/**
 * How errors of a route are rendered: the v3 default, the v2 `{code, message}` shape, or the
 * v1 `/query` shape: `{"error":"…"}` JSON always, and a refusal as the opaque 401
 * `{"error":"unauthorized access"}` (reference §3.4).
 */
export type ErrorStyle = 'default' | 'v2' | 'v1-query'

/**
 * One endpoint: a method and a path, exact or with `{name}` segments, and the handler that
 * parses, calls and renders.
 */
export interface Route {
  method: HttpMethod
  path: string
  /** Required: what the endpoint needs before its handler runs (deny by default). */
  access: RouteAccess
  errorStyle?: ErrorStyle
  handle(request: RouteRequest, context: ServerContext): Promise<Reply>
}
