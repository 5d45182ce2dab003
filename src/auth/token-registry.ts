import { timingSafeEqual } from 'node:crypto'

import type { CatalogStore, StoredToken } from '../catalog/index.js'
import { FluxgateError } from '../errors/index.js'
import type { Clock } from '../shared/index.js'
import type { ApiTokenRecord, IssuedToken } from './api-token-record.js'
import { operatorTokenName } from './api-token-record.js'
import { generateApiToken, tokenDigest } from './api-token.js'
import type { Permission } from './permission.js'
import { adminPermission } from './permission.js'

/** Why a presented token was refused; logged, never shown to the client. */
export type TokenRefusal = 'unknown' | 'expired'

export type TokenLookup = { ok: true; token: ApiTokenRecord } | { ok: false; reason: TokenRefusal }

/** What a new token is: its name, grants, expiry and who created it. */
export interface TokenRequest {
  name: string
  permissions: Permission[]
  expiresAt: Date | undefined
  /** Instead of `expiresAt`: an expiry counted from the creation time itself. */
  lifetimeSeconds?: number
  createdBy: ApiTokenRecord | undefined
  /** The signed-in user creating the token, whose rights bound it at every use. */
  createdByUserId?: number
}

/**
 * Every API token, held in memory by digest and name and written through to the catalog.
 * A presented token is looked up by its SHA-512 digest, so the lookup costs one hash and one
 * map access, and the secret itself is never kept.
 */
export class TokenRegistry {
  readonly #store: CatalogStore
  readonly #clock: Clock
  /** By hex digest, with the digest's text as bytes for the constant-time comparison. */
  readonly #byDigest = new Map<string, { token: ApiTokenRecord; bytes: Buffer }>()
  readonly #byName = new Map<string, ApiTokenRecord>()

  constructor(store: CatalogStore, clock: Clock) {
    this.#store = store
    this.#clock = clock
    for (const stored of store.loadTokens()) this.#remember(fromStored(stored))
  }

  /** Finds the token a request presents; expired tokens are refused (valid while expiry > now). */
  lookup(secret: string): TokenLookup {
    const digest = tokenDigest(secret)
    const entry = this.#byDigest.get(digest)
    // The map finds the candidate by digest; the final comparison runs in constant time so the
    // answer's timing says nothing about how much of a digest matched.
    if (entry === undefined || !timingSafeEqual(entry.bytes, Buffer.from(digest, 'latin1'))) {
      return { ok: false, reason: 'unknown' }
    }

    const { token } = entry
    if (token.expiresAt !== undefined && token.expiresAt.getTime() <= this.#clock.now().getTime()) {
      return { ok: false, reason: 'expired' }
    }
    return { ok: true, token }
  }

  findByName(name: string): ApiTokenRecord | undefined {
    return this.#byName.get(name)
  }

  /** Every token, by id. */
  list(): ApiTokenRecord[] {
    return [...this.#byName.values()].sort((a, b) => a.id - b.id)
  }

  /** Creates a token with a new secret. Throws ERR_TOKEN_NAME_TAKEN for a used name. */
  create(request: TokenRequest): IssuedToken {
    if (request.name === operatorTokenName && !this.#byName.has(operatorTokenName)) {
      throw new FluxgateError(
        'ERR_BAD_REQUEST',
        `the name ${operatorTokenName} is kept for the operator token`,
      )
    }
    return this.#issue(request)
  }

  /** Creates the operator token `_admin`, once. */
  createOperatorToken(): IssuedToken {
    return this.#issue({
      name: operatorTokenName,
      permissions: [adminPermission],
      expiresAt: undefined,
      createdBy: undefined,
    })
  }

  /**
   * Gives the operator token a new secret under the same id; the old secret stops working at
   * once. Throws ERR_OPERATOR_TOKEN_MISSING when there is none.
   */
  regenerateOperatorToken(by: ApiTokenRecord | undefined): IssuedToken {
    const current = this.#byName.get(operatorTokenName)
    if (current === undefined) throw new FluxgateError('ERR_OPERATOR_TOKEN_MISSING')

    const secret = generateApiToken()
    const digest = tokenDigest(secret)
    const now = this.#clock.now()
    this.#store.replaceTokenDigest(current.id, digest, now, by?.id ?? current.id)

    this.#byDigest.delete(current.digest)
    const updated = { ...current, digest, updatedAt: now, updatedByTokenId: by?.id ?? current.id }
    this.#remember(updated)
    return { record: updated, secret }
  }

  /**
   * Registers a token whose secret was made elsewhere (an offline token file). Returns false and
   * changes nothing when the name is taken.
   */
  registerSecret(request: TokenRequest, secret: string): boolean {
    const isOperator = request.name === operatorTokenName
    if (isOperator && !request.permissions.some((p) => p.resourceType === 'admin')) {
      throw new FluxgateError(
        'ERR_CONFIG',
        `the name ${operatorTokenName} is kept for an admin token`,
      )
    }
    if (this.#byName.has(request.name) || this.#byDigest.has(tokenDigest(secret))) return false
    this.#insert(request, tokenDigest(secret))
    return true
  }

  /** Deletes a token. The operator token cannot be deleted (ERR_OPERATOR_TOKEN_UNDELETABLE). */
  delete(name: string): ApiTokenRecord {
    if (name === operatorTokenName) throw new FluxgateError('ERR_OPERATOR_TOKEN_UNDELETABLE')
    const token = this.#byName.get(name)
    if (token === undefined) throw new FluxgateError('ERR_TOKEN_NOT_FOUND', name)

    this.#store.deleteToken(token.id)
    this.#byName.delete(name)
    this.#byDigest.delete(token.digest)
    return token
  }

  #issue(request: TokenRequest): IssuedToken {
    const secret = generateApiToken()
    return { record: this.#insert(request, tokenDigest(secret)), secret }
  }

  #insert(request: TokenRequest, digest: string): ApiTokenRecord {
    if (this.#byName.has(request.name))
      throw new FluxgateError('ERR_TOKEN_NAME_TAKEN', request.name)

    const createdAt = this.#clock.now()
    const expiresAt =
      request.lifetimeSeconds === undefined
        ? request.expiresAt
        : new Date(createdAt.getTime() + request.lifetimeSeconds * 1000)
    const stored = this.#store.insertToken({
      name: request.name,
      digest,
      permissionsJson: JSON.stringify(request.permissions),
      createdAt,
      expiresAt,
      createdByTokenId: request.createdBy?.id,
      createdByUserId: request.createdByUserId,
      updatedAt: undefined,
      updatedByTokenId: undefined,
    })
    const record = fromStored(stored)
    this.#remember(record)
    return record
  }

  #remember(token: ApiTokenRecord): void {
    this.#byDigest.set(token.digest, { token, bytes: Buffer.from(token.digest, 'latin1') })
    this.#byName.set(token.name, token)
  }
}

function fromStored(stored: StoredToken): ApiTokenRecord {
  const { permissionsJson, ...rest } = stored
  return { ...rest, permissions: JSON.parse(permissionsJson) as Permission[] }
}
