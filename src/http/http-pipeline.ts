import type { IncomingMessage, ServerResponse } from 'node:http'

import type { Logger } from 'pino'

import type { Access, Principal, RequestGate } from '../auth/index.js'
import { actorOf, authorize } from '../auth/index.js'
import { FluxgateError, isFluxgateError } from '../errors/index.js'
import { uuidv7 } from '../shared/index.js'
import { errorRegistry, v2ErrorCode } from './error-registry.js'
import type { ErrorRendering } from './error-registry.js'
import { logPolicy } from './log-policy.js'
import { readRequestBody } from './request-body.js'
import type { ErrorStyle, HttpMethod, Reply, Route, RouteRequest } from './route.js'
import type { Router } from './router.js'
import type { ServerContext } from './server-context.js'

/** What the pipeline needs besides the routes. */
export interface PipelineOptions {
  router: Router
  context: ServerContext
  gate: RequestGate
  log: Logger
  maxRequestSize: number
  clusterId: string
  /** Set when the server stops: answers then close their connection instead of keeping it. */
  lifecycle: { stopping: boolean }
}

const corsPreflightHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': '*',
  'access-control-allow-headers': '*',
  'access-control-max-age': '86400',
}

/**
 * Builds the request handler: request id and CORS headers, preflight, authentication before
 * routing, the route, and one place that renders every error.
 */
export function createPipeline(options: PipelineOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handleRequest(req, res, options)
  }
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, options: PipelineOptions) {
  try {
    await answerRequest(req, res, options)
  } catch (error) {
    // A fault while answering an error: the connection is all that is left to close.
    options.log.error({ err: error }, 'request could not be answered')
    res.destroy()
  }
}

async function answerRequest(req: IncomingMessage, res: ServerResponse, options: PipelineOptions) {
  const started = process.hrtime.bigint()
  const requestId = uuidv7()
  const log = options.log.child({ reqId: requestId })
  setCommonHeaders(res, requestId, options.clusterId)

  const parsed = parseTarget(req.url)
  const url = parsed ?? new URL('/', baseUrl)
  const matched =
    parsed === undefined ? undefined : options.router.match(req.method ?? '', url.pathname)
  const route = matched?.route
  const routeLabel = route?.path ?? 'unmatched'

  let principal: Principal | undefined
  try {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsPreflightHeaders).end()
      return
    }

    if (parsed === undefined) throw new FluxgateError('ERR_BAD_REQUEST', 'invalid request target')
    principal = await options.gate.admit(req, url, route?.access, log)
    if (matched === undefined) throw new FluxgateError('ERR_NOT_FOUND')

    const target = { url, params: matched.params }
    const request = toRouteRequest(req, res, target, principal, log, options.maxRequestSize)
    const reply = await matched.route.handle(request, options.context)
    closeWhenStopping(res, options)
    await sendReply(res, reply)
  } catch (error) {
    closeWhenStopping(res, options)
    if (isFluxgateError(error, 'ERR_AUTH_FORBIDDEN')) recordDenial(options, req, url, principal)
    sendError(res, error, route?.errorStyle ?? 'default', log)
  } finally {
    drainUnreadBody(req)
    recordRequest(options, req.method ?? '', routeLabel, res.statusCode, started)
    logCompletion(log, req, url.pathname, res.statusCode, started)
  }
}

const baseUrl = 'http://fluxgate.invalid'

/** The request target as a URL, or undefined when it cannot be one (answered 400). */
function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', baseUrl)
  } catch {
    return undefined
  }
}

// Denied requests go to the audit trail with who asked for what; never with the credential.
function recordDenial(
  options: PipelineOptions,
  req: IncomingMessage,
  url: URL,
  principal: Principal | undefined,
): void {
  options.context.audit.record({
    action: 'request_denied',
    outcome: 'denied',
    actor:
      principal === undefined
        ? { kind: 'unknown', id: undefined, name: undefined }
        : actorOf(principal),
    target: `${req.method ?? ''} ${url.pathname}`,
    clientAddress: req.socket.remoteAddress,
    detail: undefined,
  })
}

/** A request that finishes while the server stops must not leave an idle connection behind. */
function closeWhenStopping(res: ServerResponse, options: PipelineOptions): void {
  if (options.lifecycle.stopping) res.shouldKeepAlive = false
}

function setCommonHeaders(res: ServerResponse, requestId: string, clusterId: string): void {
  res.setHeader('access-control-allow-origin', '*')
  res.setHeader('cluster-uuid', clusterId)
  res.setHeader('request-id', requestId)
  res.setHeader('x-request-id', requestId)
}

function toRouteRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { url, params }: { url: URL; params: Readonly<Record<string, string>> },
  principal: Principal,
  log: Logger,
  maxRequestSize: number,
): RouteRequest {
  const mayAccess = (access: Access) => authorize(principal, access).allowed
  const controller = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) controller.abort()
  })

  let body: Promise<Buffer> | undefined
  const rawQuery = req.url?.includes('?') === true ? url.search.slice(1) : undefined
  return {
    method: req.method as HttpMethod,
    path: url.pathname,
    params,
    query: url.searchParams,
    rawQuery,
    headers: req.headers,
    principal,
    remoteAddress: req.socket.remoteAddress,
    mayAccess,
    authorize(access) {
      if (mayAccess(access)) return
      log.info({ access: access.kind }, 'request denied')
      throw new FluxgateError('ERR_AUTH_FORBIDDEN')
    },
    body: () => (body ??= readRequestBody(req, maxRequestSize)),
    signal: controller.signal,
    log,
  }
}

async function sendReply(res: ServerResponse, reply: Reply): Promise<void> {
  if ('stream' in reply) {
    res.writeHead(reply.status, reply.headers)
    await reply.stream((chunk) => writeChunk(res, chunk))
    res.end()
    return
  }

  res.writeHead(reply.status, reply.headers)
  res.end(reply.body)
}

/** Writes with backpressure: waits for `drain` when the socket buffer is full. */
function writeChunk(res: ServerResponse, chunk: string | Uint8Array): Promise<void> {
  if (res.destroyed) return Promise.reject(new FluxgateError('ERR_QUERY_CANCELLED'))
  if (res.write(chunk)) return Promise.resolve()

  return new Promise((resolve, reject) => {
    const onDrain = () => {
      res.off('close', onClose)
      resolve()
    }
    const onClose = () => {
      res.off('drain', onDrain)
      reject(new FluxgateError('ERR_QUERY_CANCELLED'))
    }
    res.once('drain', onDrain)
    res.once('close', onClose)
  })
}

function sendError(res: ServerResponse, error: unknown, routeStyle: ErrorStyle, log: Logger): void {
  let style = routeStyle
  const known = error instanceof FluxgateError ? error : undefined
  if (known === undefined || errorRegistry[known.code].status >= 500) {
    log[logPolicy.requestFailed]({ err: error }, 'request failed')
  }
  if (res.headersSent) {
    res.destroy()
    return
  }

  const code = known?.code ?? 'ERR_INTERNAL'
  const rendering = errorRegistry[code]
  // Authentication answers look the same on every endpoint, v2 writes included.
  if (code === 'ERR_AUTH_MALFORMED' || code === 'ERR_AUTH_UNAUTHENTICATED') style = 'default'
  const message = rendering.message(rendering.status < 500 ? known?.detail : undefined)
  if (style === 'v1-query') {
    sendV1QueryError(res, code, rendering.status, message)
    return
  }
  const { contentType, body } = renderErrorBody(
    style,
    rendering.status,
    rendering.shape,
    message,
    known?.data,
  )
  const headers: Record<string, string> = { ...(rendering as ErrorRendering).headers }
  if (contentType !== undefined) headers['content-type'] = contentType
  if (known?.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(known.retryAfterSeconds)
  res.writeHead(rendering.status, headers)
  res.end(body)
}

// InfluxDB 3 answers a refusal on v1 `/query` with an opaque 401 (reference §3.4, AZ-5); the
// audit trail still records it as denied.
function sendV1QueryError(res: ServerResponse, code: string, status: number, message: string) {
  const forbidden = code === 'ERR_AUTH_FORBIDDEN'
  const body = JSON.stringify({ error: forbidden ? 'unauthorized access' : message })
  res.writeHead(forbidden ? 401 : status, { 'content-type': 'application/json' })
  res.end(body)
}

function renderErrorBody(
  style: ErrorStyle,
  status: number,
  shape: ErrorRendering['shape'],
  message: string,
  data: unknown,
): { contentType: string | undefined; body: string } {
  if (style === 'v2') {
    return {
      contentType: 'application/json',
      body: JSON.stringify({ code: v2ErrorCode(status), message }),
    }
  }
  if (shape === 'text') return { contentType: 'text/plain; charset=utf-8', body: message }
  if (shape === 'spaced-json')
    return { contentType: undefined, body: `{"error": ${JSON.stringify(message)}}` }

  const payload = data === undefined ? { error: message } : { error: message, data }
  return { contentType: 'application/json', body: JSON.stringify(payload) }
}

/** Lets the client finish sending a body the handler never read, so the connection stays usable. */
function drainUnreadBody(req: IncomingMessage): void {
  if (!req.readableEnded) req.resume()
}

function recordRequest(
  options: PipelineOptions,
  method: string,
  path: string,
  status: number,
  started: bigint,
): void {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  options.context.metrics.requests.inc({ method, path, status: String(status) })
  options.context.metrics.latency.observe({ method, path }, seconds)
}

function logCompletion(
  log: Logger,
  req: IncomingMessage,
  path: string,
  status: number,
  started: bigint,
) {
  const level =
    status >= 500
      ? logPolicy.requestFailed
      : status >= 400
        ? logPolicy.requestRejected
        : logPolicy.requestCompleted
  if (!log.isLevelEnabled(level)) return

  const ms = Number(process.hrtime.bigint() - started) / 1e6
  log[level](
    { method: req.method, path, status, ms: Math.round(ms * 100) / 100 },
    'request completed',
  )
}

export type { Route }
