import type { ErrorCode } from '../errors/index.js'

/**
 * How an error reaches the client: its status, whether the body is plain text or
 * `{"error": …}` JSON, and the public message (the error's detail fills it in where the
 * reference puts the detail in the message). Details reach the client only below 500.
 */
export interface ErrorRendering {
  status: number
  /**
   * `text`: the message as plain text. `json`: `{"error":"…"}`. `spaced-json`: the reference's
   * hand-formatted `{"error": "…"}` with no content type, used for authentication answers.
   */
  shape: 'text' | 'json' | 'spaced-json'
  message: (detail: string | undefined) => string
  headers?: Record<string, string>
}

const fixed = (text: string) => () => text
const detailOr = (fallback: string) => (detail: string | undefined) => detail ?? fallback
const prefixed = (prefix: string) => (detail: string | undefined) => `${prefix}${detail ?? ''}`

/** The one table from error code to HTTP answer. A missing code is a compile error. */
export const errorRegistry = {
  ERR_NOT_FOUND: { status: 404, shape: 'text', message: fixed('Not found') },
  ERR_BAD_REQUEST: { status: 400, shape: 'text', message: detailOr('bad request') },
  ERR_BAD_JSON: { status: 400, shape: 'text', message: prefixed('serde json error: ') },
  ERR_BAD_QUERY_STRING: { status: 400, shape: 'text', message: prefixed('serde error: ') },
  ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    shape: 'text',
    message: fixed('unacceptable content-type, expected: application/json'),
  },
  ERR_BAD_CONTENT_ENCODING: {
    status: 400,
    shape: 'text',
    message: prefixed('unacceptable content-encoding: '),
  },
  ERR_BAD_GZIP: { status: 400, shape: 'text', message: prefixed('error decoding gzip stream: ') },
  ERR_BODY_TOO_LARGE: {
    status: 413,
    shape: 'text',
    message: detailOr('max request size exceeded'),
  },
  ERR_BODY_NOT_UTF8: {
    status: 400,
    shape: 'text',
    message: prefixed('body content is not valid utf8: '),
  },
  ERR_INVALID_MIME_TYPE: { status: 400, shape: 'text', message: detailOr('invalid mime type') },
  ERR_WRITE_EMPTY: { status: 400, shape: 'text', message: fixed('incoming write was empty') },
  ERR_WRITE_MISSING_DB: {
    status: 400,
    shape: 'text',
    message: detailOr("missing query parameter 'db'"),
  },
  ERR_WRITE_BAD_PARAMS: { status: 400, shape: 'text', message: prefixed('serde error: ') },
  ERR_LINE_PROTOCOL: { status: 400, shape: 'json', message: fixed('line protocol parsing error') },
  ERR_PARTIAL_WRITE: {
    status: 400,
    shape: 'json',
    message: fixed('partial write of line protocol occurred'),
  },
  ERR_LIMIT_EXCEEDED: { status: 422, shape: 'json', message: detailOr('limit exceeded') },
  ERR_INVALID_NAME: { status: 400, shape: 'json', message: detailOr('invalid name') },
  ERR_DATABASE_NOT_FOUND: {
    status: 404,
    shape: 'text',
    message: prefixed('the requested resource was not found: '),
  },
  ERR_RESOURCE_NOT_FOUND: {
    status: 404,
    shape: 'text',
    message: prefixed('the requested resource was not found: '),
  },
  ERR_ALREADY_EXISTS: {
    status: 409,
    shape: 'text',
    message: fixed('attempted to create a resource that already exists'),
  },
  ERR_ALREADY_DELETED: {
    status: 409,
    shape: 'text',
    message: prefixed('attempted to modify resource that was already deleted: '),
  },
  ERR_INTERNAL_DATABASE: {
    status: 400,
    shape: 'text',
    message: detailOr('cannot delete internal db'),
  },
  ERR_INVALID_RETENTION: {
    status: 400,
    shape: 'json',
    message: detailOr('invalid retention period'),
  },
  ERR_INVALID_HARD_DELETE: {
    status: 400,
    shape: 'text',
    message: prefixed('Cannot parse the timestamp: '),
  },
  ERR_QUERY_NOT_READ_ONLY: {
    status: 400,
    shape: 'json',
    message: detailOr('only read-only queries are allowed'),
  },
  ERR_QUERY_INVALID: { status: 400, shape: 'json', message: detailOr('invalid query') },
  ERR_QUERY_DATABASE_NOT_FOUND: {
    status: 404,
    shape: 'json',
    message: prefixed('query error: database not found: '),
  },
  ERR_QUERY_CANCELLED: { status: 400, shape: 'json', message: fixed('query cancelled') },
  ERR_INFLUXQL_PARSE: {
    status: 400,
    shape: 'json',
    message: detailOr('error in InfluxQL statement: parsing error'),
  },
  ERR_INFLUXQL_INVALID: {
    status: 400,
    shape: 'json',
    message: detailOr('error in InfluxQL statement'),
  },
  ERR_INFLUXQL_NO_DATABASE: {
    status: 400,
    shape: 'json',
    message: detailOr(
      "must specify a 'db' parameter, or provide the database in the InfluxQL query",
    ),
  },
  ERR_AUTH_MALFORMED: {
    status: 400,
    shape: 'spaced-json',
    message: fixed(
      "Authorization header was malformed, the request was not in the form of 'Authorization: <auth-scheme> <token>', supported auth-schemes are Bearer, Token and Basic",
    ),
  },
  ERR_AUTH_UNAUTHENTICATED: {
    status: 401,
    shape: 'spaced-json',
    message: fixed('the request was not authenticated'),
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
  },
  ERR_AUTH_FORBIDDEN: {
    status: 403,
    shape: 'spaced-json',
    message: fixed('unauthorized to perform requested action with the token'),
  },
  ERR_ENDPOINT_DISABLED: {
    status: 405,
    shape: 'text',
    message: fixed('endpoint disabled, started without auth'),
  },
  ERR_TOKEN_NAME_TAKEN: {
    status: 409,
    shape: 'text',
    message: prefixed('token name already exists, '),
  },
  ERR_TOKEN_NOT_FOUND: {
    status: 404,
    shape: 'text',
    message: prefixed('the requested resource was not found: '),
  },
  ERR_OPERATOR_TOKEN_UNDELETABLE: {
    status: 405,
    shape: 'text',
    message: fixed('cannot delete operator token'),
  },
  ERR_OPERATOR_TOKEN_MISSING: {
    status: 404,
    shape: 'text',
    message: fixed('missing admin token, cannot update'),
  },
  ERR_BOOTSTRAP_REMOTE: {
    status: 403,
    shape: 'text',
    message: fixed('the operator token can only be created from the server itself (loopback)'),
  },
  ERR_USER_AUTH_DISABLED: {
    status: 503,
    shape: 'json',
    message: fixed('user authentication is not enabled on this server'),
  },
  ERR_BOOTSTRAP_DONE: {
    status: 409,
    shape: 'json',
    message: fixed('operator token already configured'),
  },
  ERR_LOGIN_FAILED: { status: 401, shape: 'json', message: fixed('invalid username or password') },
  ERR_LOGIN_THROTTLED: {
    status: 429,
    shape: 'json',
    message: fixed('too many failed sign-in attempts, try again later'),
  },
  ERR_PASSWORD_RESET_REQUIRED: {
    status: 403,
    shape: 'json',
    message: fixed('the password must be reset before signing in'),
  },
  ERR_PASSWORD_REJECTED: {
    status: 400,
    shape: 'json',
    message: detailOr('the password is not acceptable'),
  },
  ERR_REFRESH_REJECTED: {
    status: 401,
    shape: 'json',
    message: fixed('the refresh token is invalid, expired or already used'),
  },
  ERR_USER_NOT_FOUND: { status: 404, shape: 'json', message: detailOr('user not found') },
  ERR_USER_EXISTS: { status: 409, shape: 'json', message: detailOr('user already exists') },
  ERR_ROLE_NOT_FOUND: { status: 404, shape: 'json', message: detailOr('role not found') },
  ERR_LAST_ADMIN: {
    status: 409,
    shape: 'json',
    message: fixed('the last admin cannot be deleted, disabled or lose the Admin role'),
  },
  ERR_SESSION_NOT_FOUND: { status: 404, shape: 'json', message: fixed('session not found') },
  ERR_OAUTH_UNAVAILABLE: {
    status: 503,
    shape: 'json',
    message: fixed('the identity provider is not reachable yet, try again later'),
    headers: { 'retry-after': '5' },
  },
  ERR_OAUTH_SIGN_IN_FAILED: {
    status: 401,
    shape: 'json',
    message: fixed('sign-in through the identity provider failed, start again'),
  },
  ERR_CROSS_SITE_REQUEST: {
    status: 403,
    shape: 'json',
    message: fixed("a session cookie is accepted only from this server's own pages"),
  },
  ERR_CONFIG: { status: 500, shape: 'text', message: fixed('invalid configuration') },
  ERR_SHUTTING_DOWN: { status: 503, shape: 'text', message: fixed('server is shutting down') },
  ERR_INTERNAL: { status: 500, shape: 'text', message: fixed('internal error') },
} satisfies Record<ErrorCode, ErrorRendering>

/** The v2 write API's `code` member for a status. */
export function v2ErrorCode(status: number): string {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not found'
  if (status === 413) return 'request too large'
  if (status >= 500) return 'internal error'
  return 'invalid'
}
