import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import { Writable } from 'node:stream'

import { startServer } from '../../src/server/index.js'
import type { RunningServer, ServerConfigInput, ServerDeps } from '../../src/server/index.js'
import type { TestServer } from './test-server.js'

/** The exact bodies of the reference's authentication answers (no content type). */
export const malformedBody =
  '{"error": "Authorization header was malformed, the request was not in the form of \'Authorization: <auth-scheme> <token>\', supported auth-schemes are Bearer, Token and Basic"}'
export const unauthenticatedBody = '{"error": "the request was not authenticated"}'
export const forbiddenBody = '{"error": "unauthorized to perform requested action with the token"}'
export const invalidTokenChallenge = 'Bearer error="invalid_token"'

/** An answer read to the end. */
export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** What `rawRequest` sends. Header values go out as given, without `fetch`'s normalisation. */
export interface RawRequestInit {
  method?: string
  headers?: Record<string, string>
  body?: string
}

/** Sends one request on its own connection and reads the whole answer. */
export function rawRequest(
  baseUrl: string,
  path: string,
  init: RawRequestInit = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(init.body)
  })
}

/** `Basic base64(credentials)`. */
export function basicHeader(credentials: string): string {
  return `Basic ${Buffer.from(credentials).toString('base64')}`
}

/** A token in the right format that no server has issued. */
export function unknownToken(): string {
  return `apiv3_${randomBytes(64).toString('base64url')}`
}

/** A JSON request with the content type the token endpoints require. */
export function jsonInit(method: string, body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

/** The token object every create and regenerate endpoint answers with. */
export interface TokenObject {
  id: number
  name: string
  token: string
  hash: string
  created_at: string
  expiry: string | null
}

/** A structured permission as the resource-token endpoint takes it. */
export interface PermissionBody {
  resource_type: string
  resource_names: string[]
  actions: string[]
}

export function dbPermission(names: string[], actions: string[]): PermissionBody {
  return { resource_type: 'db', resource_names: names, actions }
}

/** Calls a server with some credential, as `TestServer.fetch` does with the operator token. */
export type Caller = (path: string, init?: RequestInit) => Promise<Response>

/** A caller with the operator token of a test server. */
export function withOperator(app: TestServer): Caller {
  return (path, init) => app.fetch(path, init)
}

/** Creates a named admin token; fails unless the answer is 201. */
export async function createNamedAdmin(
  call: Caller,
  name: string,
  expirySecs?: number,
): Promise<TokenObject> {
  const body = { token_name: name, expiry_secs: expirySecs ?? null }
  return expectCreated(await call('/api/v3/configure/token/named_admin', jsonInit('POST', body)))
}

/** Creates a resource token; fails unless the answer is 201. */
export async function createResourceToken(
  call: Caller,
  name: string,
  permissions: PermissionBody[],
  expirySecs?: number,
): Promise<TokenObject> {
  const body = { token_name: name, permissions, expiry_secs: expirySecs ?? null }
  return expectCreated(await call('/api/v3/enterprise/configure/token', jsonInit('POST', body)))
}

async function expectCreated(res: Response): Promise<TokenObject> {
  const text = await res.text()
  if (res.status !== 201) throw new Error(`token not created: ${res.status} ${text}`)
  return JSON.parse(text) as TokenObject
}

/** The log lines of a server, parsed. */
export function parsedLogs(logs: string[]): Array<Record<string, unknown>> {
  return logs
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** A server started without the test harness's operator token, with its log lines. */
export interface BareServer {
  url: string
  server: RunningServer
  logs: string[]
  /** Calls the server with `token` as bearer token, or with no credential when undefined. */
  fetchAs(token: string | undefined, path: string, init?: RequestInit): Promise<Response>
  close(): Promise<void>
}

/** Starts a server as `startServer` does, capturing logs, and creates no token. */
export async function startBareServer(
  input: ServerConfigInput,
  deps: ServerDeps = {},
): Promise<BareServer> {
  const logs: string[] = []
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString())
      done()
    },
  })
  const server = await startServer(
    { httpBind: '127.0.0.1:0', objectStore: 'memory', logFilter: 'debug', ...input },
    { logDestination, ...deps },
  )
  const fetchAs = (token: string | undefined, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`)
    return fetch(`${server.url}${path}`, { ...init, headers })
  }
  return { url: server.url, server, logs, fetchAs, close: () => server.close() }
}
