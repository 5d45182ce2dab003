import type { Logger } from 'pino'

import { FluxgateError } from '../../errors/index.js'
import type { Clock } from '../../shared/index.js'
import type { OauthSettings } from './oauth-settings.js'
import { discoverProvider } from './provider-discovery.js'
import type { ProviderMetadata } from './provider-discovery.js'
import type { HttpDeps } from './provider-http.js'
import { ProviderKeySet } from './provider-key-set.js'

/**
 * What the provider client works with; `fetch`, the timeout and the retry interval are
 * swappable.
 */
export interface ProviderClientDeps {
  clock: Clock
  log: Logger
  fetch?: typeof fetch
  /** Each call to the provider gives up after this long (default 5 s). */
  timeoutMs?: number
  /** Discovery is tried again this often until it succeeds (default 5 s). */
  retryMs?: number
}

/** The provider as discovery found it. */
export interface DiscoveredProvider {
  metadata: ProviderMetadata
  keys: ProviderKeySet
}

const defaultTimeoutMs = 5_000
const defaultRetryMs = 5_000

/**
 * The relying-party side of one OpenID Connect provider: its metadata and signing keys. A
 * provider that is down does not stop the server: `start` tries once, logs the failure and keeps
 * trying in the background, and until one attempt succeeds `discovered` throws
 * ERR_OAUTH_UNAVAILABLE (503). Metadata, once found, is kept for the life of the server.
 */
export class ProviderClient {
  readonly settings: OauthSettings
  readonly #deps: ProviderClientDeps
  #discovered: DiscoveredProvider | undefined
  #retry: NodeJS.Timeout | undefined
  #closed = false

  constructor(settings: OauthSettings, deps: ProviderClientDeps) {
    this.settings = settings
    this.#deps = deps
  }

  /** Tries discovery once, then in the background until it succeeds. Never rejects. */
  async start(): Promise<void> {
    await this.#attempt()
  }

  /** The provider's metadata and keys, or ERR_OAUTH_UNAVAILABLE until discovery succeeded. */
  discovered(): DiscoveredProvider {
    if (this.#discovered === undefined) {
      throw new FluxgateError('ERR_OAUTH_UNAVAILABLE', 'provider not discovered yet')
    }
    return this.#discovered
  }

  /** How calls to the provider are made: its `fetch` and the timeout of each call. */
  http(): HttpDeps {
    return { fetch: this.#deps.fetch ?? fetch, timeoutMs: this.#timeoutMs() }
  }

  /** Stops retrying. Calling it twice is harmless. */
  close(): void {
    this.#closed = true
    clearTimeout(this.#retry)
  }

  async #attempt(): Promise<void> {
    const { issuer } = this.settings
    try {
      const http = this.http()
      const metadata = await discoverProvider(issuer, http)
      const keys = new ProviderKeySet(metadata.jwksUri, http, this.#deps.clock)
      await keys.load()
      this.#discovered = { metadata, keys }
      this.#deps.log.info({ issuer }, 'identity provider discovered')
    } catch (error) {
      const detail = error instanceof FluxgateError ? error.detail : String(error)
      this.#deps.log.warn({ issuer, detail }, 'identity provider unreachable, retrying')
      this.#scheduleRetry()
    }
  }

  #scheduleRetry(): void {
    if (this.#closed) return

    this.#retry = setTimeout(() => void this.#attempt(), this.#deps.retryMs ?? defaultRetryMs)
    // A provider that stays down must not keep a stopping process alive.
    this.#retry.unref()
  }

  #timeoutMs(): number {
    return this.#deps.timeoutMs ?? defaultTimeoutMs
  }
}
