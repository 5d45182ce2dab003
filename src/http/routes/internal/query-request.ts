import { z } from 'zod'

import { FluxgateError } from '../../../errors/index.js'
import type { QueryParams } from '../../../storage/index.js'
import type { RouteRequest } from '../../route.js'
import { decodeUtf8 } from '../../request-body.js'

/** The parts of a v3 query request, from the URL (GET) or a JSON body (POST). */
export interface QueryRequestParts {
  db: string
  q: string
  format: string | undefined
  params: QueryParams
}

/** The parts of an InfluxQL request, whose `db` may be left to the query itself. */
export type InfluxqlRequestParts = Omit<QueryRequestParts, 'db'> & { db: string | undefined }

const paramValue = z.union([z.string(), z.number(), z.boolean(), z.null()])
/** The `params` of a query, by name: strings, numbers, booleans or null, as in the reference. */
export const paramsSchema = z.record(z.string(), paramValue)
const bodySchema = z.object({
  db: z.string().optional(),
  q: z.string(),
  format: z.string().optional(),
  params: paramsSchema.optional(),
})

/** Reads `db`, `q`, `format` and `params` as the reference does for GET and POST. */
export async function readQueryRequest(request: RouteRequest): Promise<QueryRequestParts> {
  const parts = await readInfluxqlRequest(request)
  if (parts.db === undefined) {
    throw new FluxgateError(
      request.method === 'GET' ? 'ERR_BAD_QUERY_STRING' : 'ERR_BAD_JSON',
      'missing field `db`',
    )
  }
  return { ...parts, db: parts.db }
}

/** Reads a query request as `readQueryRequest` does, but `db` may be absent (InfluxQL). */
export async function readInfluxqlRequest(request: RouteRequest): Promise<InfluxqlRequestParts> {
  if (request.method === 'GET') return fromUrl(request)
  return fromBody(decodeUtf8(await request.body()))
}

function fromUrl(request: RouteRequest): InfluxqlRequestParts {
  if (request.rawQuery === undefined || request.rawQuery === '') {
    throw new FluxgateError('ERR_BAD_REQUEST', "missing query parameters 'db' and 'q'")
  }

  const db = request.query.get('db')
  const q = request.query.get('q')
  if (db === null && q === null) {
    throw new FluxgateError('ERR_BAD_QUERY_STRING', 'missing field `db`')
  }
  if (q === null) throw new FluxgateError('ERR_BAD_QUERY_STRING', 'missing field `q`')

  const params = request.query.get('params')
  return {
    db: db ?? undefined,
    q,
    format: request.query.get('format') ?? undefined,
    params: params === null ? {} : parseQueryParams(params),
  }
}

function fromBody(text: string): InfluxqlRequestParts {
  const parsed = bodySchema.safeParse(parseJson(text))
  if (!parsed.success) throw new FluxgateError('ERR_BAD_JSON', describeIssue(parsed.error))

  const { db, q, format, params } = parsed.data
  return { db, q, format, params: params ?? {} }
}

/** Reads a JSON-encoded `params` object; throws ERR_BAD_JSON (`serde json error: …`). */
export function parseQueryParams(text: string): QueryParams {
  const parsed = paramsSchema.safeParse(parseJson(text))
  if (!parsed.success) throw new FluxgateError('ERR_BAD_JSON', describeIssue(parsed.error))
  return parsed.data
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new FluxgateError('ERR_BAD_JSON', (error as Error).message)
  }
}

/** A zod failure in the words of the reference's deserializer: `missing field \`db\``. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (issue === undefined) return 'invalid body'

  const field = issue.path.join('.')
  // zod leaves the input out of its issues, but names the received type in its message.
  const types = /expected (\S+), received (\S+)/.exec(issue.message)
  if (issue.code === 'invalid_type' && types !== null) {
    const [, expected, received] = types
    if (received === 'undefined') return `missing field \`${field}\``
    return `invalid type: ${received}, expected ${expected} at \`${field}\``
  }
  return field === '' ? issue.message : `${field}: ${issue.message}`
}
