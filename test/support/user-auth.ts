import assert from 'node:assert/strict'

import type { TestServer } from './test-server.js'

/** A password the policy accepts. */
export const goodPassword = 'correct horse battery staple'

/** What `POST /api/v3/authorize` and `/refresh` answer. */
export interface SessionTokens {
  token: string
  refreshToken: string
  userId: number
  expiresAt: number
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

/** Creates the first admin through the bootstrap; returns the operator token and user id. */
export async function bootstrapAdmin(
  app: TestServer,
  username = 'admin',
  password = goodPassword,
): Promise<{ operatorToken: string; userId: number }> {
  const res = await fetch(`${app.url}/api/v3/configure/user`, json('POST', { username, password }))
  assert.equal(res.status, 201, await res.clone().text())
  const body = (await res.json()) as { operatorToken: string; userId: number }
  return body
}

/** Signs in and returns the raw response. */
export function login(app: TestServer, username: string, password: string): Promise<Response> {
  return fetch(`${app.url}/api/v3/authorize`, json('POST', { username, password }))
}

/** Signs in, asserting success. */
export async function signIn(
  app: TestServer,
  username: string,
  password = goodPassword,
): Promise<SessionTokens> {
  const res = await login(app, username, password)
  assert.equal(res.status, 200, await res.clone().text())
  return (await res.json()) as SessionTokens
}

export function refresh(app: TestServer, refreshToken: string): Promise<Response> {
  return fetch(`${app.url}/api/v3/authorize/refresh`, json('POST', { refreshToken }))
}

/** A JSON request with a bearer token. */
export function callAs(
  app: TestServer,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const init = body === undefined ? { method } : json(method, body)
  return app.fetchAs(token, path, init)
}

/** Creates a user through `POST /api/v3/users` as `token` (the operator's by default); its id. */
export async function createUser(
  app: TestServer,
  body: Record<string, unknown>,
  token: string | undefined = app.operatorToken,
): Promise<number> {
  const res = await callAs(app, token, 'POST', '/api/v3/users', body)
  if (res.status !== 201) throw new Error(`user not created: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { userId: number }).userId
}
