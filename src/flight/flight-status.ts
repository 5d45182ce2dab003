import { Metadata, status } from '@grpc/grpc-js'
import type { ServiceError } from '@grpc/grpc-js'

import { FluxgateError } from '../errors/index.js'
import type { ErrorCode } from '../errors/index.js'
import { errorRegistry } from '../http/index.js'
import type { ErrorRendering } from '../http/index.js'

/** A gRPC status code and the message a client sees. */
export interface FlightStatus {
  code: status
  details: string
}

// A few codes mean something more precise in gRPC than their HTTP status says.
const exactCodes: Partial<Record<ErrorCode, status>> = {
  ERR_AUTH_MALFORMED: status.UNAUTHENTICATED,
  ERR_QUERY_CANCELLED: status.CANCELLED,
}

const codesByHttpStatus: ReadonlyMap<number, status> = new Map([
  [400, status.INVALID_ARGUMENT],
  [401, status.UNAUTHENTICATED],
  [403, status.PERMISSION_DENIED],
  [404, status.NOT_FOUND],
  [409, status.ALREADY_EXISTS],
  [413, status.RESOURCE_EXHAUSTED],
  [429, status.RESOURCE_EXHAUSTED],
  [503, status.UNAVAILABLE],
])

/**
 * The gRPC status for an error, from the same registry that renders HTTP errors: the status
 * code follows the HTTP status, and the message is the public one, with the error's detail only
 * below 500. Anything that is not a FluxgateError is an opaque INTERNAL.
 */
export function flightStatusOf(error: unknown): FlightStatus {
  const code: ErrorCode = error instanceof FluxgateError ? error.code : 'ERR_INTERNAL'
  const rendering: ErrorRendering = errorRegistry[code]
  const detail = error instanceof FluxgateError && rendering.status < 500 ? error.detail : undefined

  return {
    code: exactCodes[code] ?? codesByHttpStatus.get(rendering.status) ?? status.INTERNAL,
    details: rendering.message(detail),
  }
}

/** The error object grpc-js sends as the call's final status. */
export function toServiceError({ code, details }: FlightStatus): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() })
}
