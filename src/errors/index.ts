export { FluxgateError, isFluxgateError } from './fluxgate-error.js'
export { errorCodes } from './error-codes.js'
export type { ErrorCode } from './error-codes.js'
