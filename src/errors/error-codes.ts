/**
 * Every error code Fluxgate can raise. Adding a code here without an entry in
 * `http/error-registry.ts` is a compile error.
 */
export const errorCodes = [
  // Request shape
  'ERR_NOT_FOUND',
  'ERR_BAD_REQUEST',
  'ERR_BAD_JSON',
  'ERR_BAD_QUERY_STRING',
  'ERR_UNSUPPORTED_MEDIA_TYPE',
  'ERR_BAD_CONTENT_ENCODING',
  'ERR_BAD_GZIP',
  'ERR_BODY_TOO_LARGE',
  'ERR_BODY_NOT_UTF8',
  'ERR_INVALID_MIME_TYPE',
  // Writes
  'ERR_WRITE_EMPTY',
  'ERR_WRITE_MISSING_DB',
  'ERR_WRITE_BAD_PARAMS',
  'ERR_LINE_PROTOCOL',
  'ERR_PARTIAL_WRITE',
  'ERR_LIMIT_EXCEEDED',
  // Catalog
  'ERR_INVALID_NAME',
  'ERR_DATABASE_NOT_FOUND',
  'ERR_RESOURCE_NOT_FOUND',
  'ERR_ALREADY_EXISTS',
  'ERR_ALREADY_DELETED',
  'ERR_INTERNAL_DATABASE',
  'ERR_INVALID_RETENTION',
  'ERR_INVALID_HARD_DELETE',
  // Queries
  'ERR_QUERY_NOT_READ_ONLY',
  'ERR_QUERY_INVALID',
  'ERR_QUERY_DATABASE_NOT_FOUND',
  'ERR_QUERY_CANCELLED',
  // Server
  'ERR_CONFIG',
  'ERR_SHUTTING_DOWN',
  'ERR_INTERNAL',
] as const

export type ErrorCode = (typeof errorCodes)[number]
