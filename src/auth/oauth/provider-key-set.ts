import { createLocalJWKSet } from 'jose'
import type { FlattenedJWSInput, JSONWebKeySet, JWSHeaderParameters } from 'jose'

import { FluxgateError } from '../../errors/index.js'
import type { Clock } from '../../shared/index.js'
import { fetchJson } from './provider-http.js'
import type { HttpDeps } from './provider-http.js'

/** The shortest time between two key-set fetches caused by an unknown `kid`. */
const keyRefetchCooldownMs = 30_000

type KeyResolver = ReturnType<typeof createLocalJWKSet>

/**
 * The provider's signing keys, fetched from its `jwks_uri` and cached. A token whose `kid` is
 * not in the cache (the provider rotated its keys) causes one refetch, at most once per 30 s
 * however many such tokens arrive, so forged `kid` values cannot make the server hammer the
 * provider (JWT-3). Keys come only from `jwks_uri`: `jku`, `x5u` and `jwk` headers are ignored.
 */
export class ProviderKeySet {
  readonly #jwksUri: string
  readonly #http: HttpDeps
  readonly #clock: Clock
  #resolve: KeyResolver | undefined
  #fetchedAt: number | undefined
  #loading: Promise<void> | undefined

  constructor(jwksUri: string, http: HttpDeps, clock: Clock) {
    this.#jwksUri = jwksUri
    this.#http = http
    this.#clock = clock
  }

  /** Fetches the key set now; throws ERR_OAUTH_UNAVAILABLE when it cannot. */
  load(): Promise<void> {
    this.#loading ??= this.#fetch().finally(() => {
      this.#loading = undefined
    })
    return this.#loading
  }

  /**
   * The key for a token's header, in the form `jwtVerify` takes as its key argument. For use
   * once `load` succeeded: the provider client hands out no key set before that.
   */
  readonly keyFor = async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    try {
      return await this.#resolver()(header, token)
    } catch (error) {
      if (!isUnknownKid(error) || this.#coolingDown()) throw error

      await this.load()
      return this.#resolver()(header, token)
    }
  }

  async #fetch(): Promise<void> {
    // Stamped before the fetch, so that a failing provider is not asked again at once either.
    this.#fetchedAt = this.#clock.now().getTime()
    const body = await fetchJson(this.#jwksUri, this.#http)
    if (!isKeySet(body)) {
      throw new FluxgateError('ERR_OAUTH_UNAVAILABLE', `${this.#jwksUri}: not a JWK set`)
    }
    this.#resolve = createLocalJWKSet(body)
  }

  #resolver(): KeyResolver {
    // Fails closed should a caller ever skip `load`.
    if (this.#resolve === undefined) throw new FluxgateError('ERR_OAUTH_UNAVAILABLE', 'no keys')
    return this.#resolve
  }

  #coolingDown(): boolean {
    const at = this.#fetchedAt
    return at !== undefined && this.#clock.now().getTime() < at + keyRefetchCooldownMs
  }
}

function isUnknownKid(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ERR_JWKS_NO_MATCHING_KEY'
}

function isKeySet(body: unknown): body is JSONWebKeySet {
  const keys = (body as { keys?: unknown } | null)?.keys
  return Array.isArray(keys)
}
