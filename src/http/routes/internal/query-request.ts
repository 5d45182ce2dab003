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

const paramValue = z.union([z.string(), z.number(), z.boolean(), z.null()])
const paramsSchema = z.record(z.string(), paramValue)
const bodySchema = z.object({
  db: z.string(),
  q: z.string(),
  format: z.string().optional(),
  params: paramsSchema.optional(),
})

/** Reads `db`, `q`, `format` and `params` as the reference does for GET and POST. */
export async function readQueryRequest(request: RouteRequest): Promise<QueryRequestParts> {
  if (request.method === 'GET') return fromUrl(request)
  return fromBody(decodeUtf8(await request.body()))
}

function fromUrl(request: RouteRequest): QueryRequestParts {
  if (request.rawQuery === undefined || request.rawQuery === '') {
    throw new FluxgateError('ERR_BAD_REQUEST', "missing query parameters 'db' and 'q'")
  }

  const db = request.query.get('db')
  const q = request.query.get('q')
  if (db === null) throw new FluxgateError('ERR_BAD_QUERY_STRING', 'missing field `db`')
  if (q === null) throw new FluxgateError('ERR_BAD_QUERY_STRING', 'missing field `q`')

  const params = request.query.get('params')
  return {
    db,
    q,
    format: request.query.get('format') ?? undefined,
    params: params === null ? {} : parseParams(params),
  }
}

function fromBody(text: string): QueryRequestParts {
  const parsed = bodySchema.safeParse(parseJson(text))
  if (!parsed.success) throw new FluxgateError('ERR_BAD_JSON', describeIssue(parsed.error))

  const { db, q, format, params } = parsed.data
  return { db, q, format, params: params ?? {} }
}

function parseParams(text: string): QueryParams {
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
