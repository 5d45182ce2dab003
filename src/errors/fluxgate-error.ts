import type { ErrorCode } from './error-codes.js'

/**
 * The one error root of Fluxgate. `code` is stable and maps to an HTTP status and public message
 * in `http/error-registry.ts`; `detail` is the text a client may see for 4xx answers (never a
 * secret); `data` carries structured detail such as rejected lines.
 */
export class FluxgateError extends Error {
  readonly code: ErrorCode
  readonly detail: string | undefined
  readonly data: unknown
  /** When the client may try again, for answers that say so (`Retry-After`). */
  readonly retryAfterSeconds: number | undefined

  constructor(
    code: ErrorCode,
    detail?: string,
    options?: { cause?: unknown; data?: unknown; retryAfterSeconds?: number },
  ) {
    super(detail === undefined ? code : `${code}: ${detail}`, { cause: options?.cause })
    this.name = 'FluxgateError'
    this.code = code
    this.detail = detail
    this.data = options?.data
    this.retryAfterSeconds = options?.retryAfterSeconds
  }
}

/** True when `value` is a FluxgateError carrying `code`. */
export function isFluxgateError(value: unknown, code?: ErrorCode): value is FluxgateError {
  return value instanceof FluxgateError && (code === undefined || value.code === code)
}
