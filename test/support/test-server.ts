import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'

import { startServer } from '../../src/server/index.js'
import type { RunningServer, ServerConfigInput, ServerDeps } from '../../src/server/index.js'

/** A real server on a free loopback port, with helpers to call it. */
export interface TestServer {
  url: string
  server: RunningServer
  /** Every log line the server wrote, as text. */
  logs: string[]
  dataDir: string | undefined
  /** The operator token, created at start unless the server runs without auth. */
  operatorToken: string | undefined
  /** Calls the server with the operator token (unless `init` sets its own authorization). */
  fetch(path: string, init?: RequestInit): Promise<Response>
  /** Calls the server with `token` as bearer token, or with no credential when undefined. */
  fetchAs(token: string | undefined, path: string, init?: RequestInit): Promise<Response>
  /** Writes line protocol through `/api/v3/write_lp` and returns the response. */
  write(db: string, body: string, params?: Record<string, string>): Promise<Response>
  /** Runs SQL and returns the parsed JSON rows (asserting status 200). */
  sql(db: string, q: string): Promise<Array<Record<string, unknown>>>
  close(): Promise<void>
}

async function createOperatorToken(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v3/configure/token/admin`, { method: 'POST' })
  if (res.status !== 201) throw new Error(`operator token: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

/**
 * Starts a server in memory (default) or on a temporary data directory (`file: true`). The
 * operator token is created at start unless the server runs without auth or `fresh` asks for a
 * server nobody has claimed yet (for the first-admin bootstrap).
 */
export async function startTestServer(
  options: ServerConfigInput & { file?: boolean; fresh?: boolean } = {},
  deps: ServerDeps = {},
): Promise<TestServer> {
  const { file, fresh, ...input } = options
  const dataDir = file === true ? await mkdtemp(join(tmpdir(), 'fluxgate-test-')) : undefined
  const logs: string[] = []
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString())
      done()
    },
  })

  const server = await startServer(
    {
      httpBind: '127.0.0.1:0',
      objectStore: dataDir === undefined ? 'memory' : 'file',
      dataDir,
      logFilter: 'debug',
      ...input,
    },
    { logDestination, ...deps },
  )

  const fetchAs = (token: string | undefined, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    if (token !== undefined && !headers.has('authorization')) {
      headers.set('authorization', `Bearer ${token}`)
    }
    return fetch(`${server.url}${path}`, { ...init, headers })
  }
  const operatorToken =
    input.withoutAuth === true || fresh === true ? undefined : await createOperatorToken(server.url)
  const call = (path: string, init?: RequestInit) => fetchAs(operatorToken, path, init)
  return {
    operatorToken,
    fetchAs,
    url: server.url,
    server,
    logs,
    dataDir,
    fetch: call,
    write: (db, body, params = {}) =>
      call(`/api/v3/write_lp?${new URLSearchParams({ db, ...params })}`, { method: 'POST', body }),
    async sql(db, q) {
      const res = await call(`/api/v3/query_sql?${new URLSearchParams({ db, q, format: 'json' })}`)
      const text = await res.text()
      if (res.status !== 200) throw new Error(`query failed with ${res.status}: ${text}`)
      return JSON.parse(text) as Array<Record<string, unknown>>
    },
    async close() {
      await server.close()
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true })
    },
  }
}
