import { UsageError } from './cli-errors.js'
import { lineErrorsOf } from './line-errors.js'
import type { LineError } from './line-errors.js'

/** Query-string parameters; `undefined` values are left out. */
export type QueryParams = Readonly<Record<string, string | undefined>>

/** One request to the server. `json` and `body` are exclusive. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  readonly path: string
  readonly query?: QueryParams
  /** Sent as `application/json`. */
  readonly json?: unknown
  /** Sent as is, with the content type in `headers`. */
  readonly body?: Uint8Array
  readonly headers?: Readonly<Record<string, string>>
}

/** How to reach the server, and as whom. */
export interface HttpClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8181`; a path prefix is kept. */
  readonly host: string
  /** Sent as `Authorization: Bearer <token>` when present. */
  readonly token?: string
  /**
   * Looked up once, before the first request, when `token` is absent: the stored session's
   * access token, say. Resolving to `undefined` sends no credential.
   */
  readonly tokenSource?: () => Promise<string | undefined>
  /** Aborts every request and response body. */
  readonly signal?: AbortSignal
  readonly fetch?: typeof fetch
}

/**
 * The server answered with a status outside 2xx. `message` is the server's own text, taken from
 * `{"error": …}`, `{"code", "message"}` or a plain-text body; `lines` are the rejected lines a
 * write reports in the `data` member.
 */
export class ServerError extends Error {
  readonly status: number
  readonly lines: readonly LineError[]

  constructor(status: number, message: string, lines: readonly LineError[] = []) {
    super(message)
    this.name = 'ServerError'
    this.status = status
    this.lines = lines
  }

  /** Reads the body of a failed response into an error. */
  static async from(response: Response): Promise<ServerError> {
    const text = await response.text().catch(() => '')
    const parsed = parseErrorBody(text)
    const message = parsed.message || response.statusText || `status ${response.status}`

    return new ServerError(response.status, message, lineErrorsOf(parsed.data))
  }
}

/** Sends requests to one server and turns every non-2xx answer into a `ServerError`. */
export class HttpClient {
  readonly #base: string
  readonly #tokenSource: (() => Promise<string | undefined>) | undefined
  #token: Promise<string | undefined> | undefined
  readonly #signal: AbortSignal | undefined
  readonly #fetch: typeof fetch

  constructor(options: HttpClientOptions) {
    this.#base = normalizeHost(options.host)
    this.#token = options.token === undefined ? undefined : Promise.resolve(options.token)
    this.#tokenSource = options.tokenSource
    this.#signal = options.signal
    this.#fetch = options.fetch ?? fetch
  }

  /**
   * Sends `request` and resolves to the response, whose body is still unread.
   * @throws ServerError when the status is not 2xx; Error when the server cannot be reached.
   */
  async send(request: HttpRequest): Promise<Response> {
    const url = this.#url(request)
    const token = await this.#resolveToken()
    const response = await this.#fetch(url, {
      method: request.method,
      headers: headersFor(request, token),
      body: request.json === undefined ? request.body : JSON.stringify(request.json),
      signal: this.#signal,
    }).catch((error: unknown) => {
      throw this.#signal?.aborted === true ? error : unreachable(url, error)
    })
    if (!response.ok) throw await ServerError.from(response)

    return response
  }

  /** Sends `request` and discards the body of the successful answer. */
  async call(request: HttpRequest): Promise<void> {
    const response = await this.send(request)
    await response.body?.cancel()
  }

  #url(request: HttpRequest): URL {
    const url = new URL(this.#base + request.path)
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value)
    }
    return url
  }

  #resolveToken(): Promise<string | undefined> {
    this.#token ??= this.#tokenSource?.() ?? Promise.resolve(undefined)
    return this.#token
  }
}

function headersFor(request: HttpRequest, token: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { ...request.headers }
  if (request.json !== undefined) headers['content-type'] = 'application/json'
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  return headers
}

/**
 * The canonical form of a server URL, without trailing slashes: the base of every request and
 * the key of the server's stored session.
 * @throws UsageError when `host` is not an http:// or https:// URL.
 */
export function normalizeHost(host: string): string {
  const url = URL.canParse(host) ? new URL(host) : undefined
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`invalid host URL: ${host} (expected http:// or https://)`)
  }
  return url.href.replace(/\/+$/, '')
}

function unreachable(url: URL, error: unknown): Error {
  return new Error(`cannot reach the server at ${url.origin}: ${causeMessage(error)}`, {
    cause: error,
  })
}

/** Why a request failed: fetch hides the network error (ECONNREFUSED…) in its `cause`. */
export function causeMessage(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  return cause instanceof Error ? cause.message : String(cause)
}

function parseErrorBody(text: string): { message: string; data?: unknown } {
  const body = parseJson(text)
  if (typeof body === 'object' && body !== null) {
    const fields = body as Record<string, unknown>
    if (typeof fields.error === 'string') return { message: fields.error, data: fields.data }
    if (typeof fields.message === 'string') return { message: fields.message }
  }
  return { message: text.trim() }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
