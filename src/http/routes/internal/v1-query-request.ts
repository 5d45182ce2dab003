import { withRetentionPolicy } from '../../../catalog/index.js'
import { FluxgateError } from '../../../errors/index.js'
import { parseEpoch } from '../../../influxql/index.js'
import type { Epoch } from '../../../influxql/index.js'
import type { QueryParams } from '../../../storage/index.js'
import { decodeUtf8 } from '../../request-body.js'
import type { RouteRequest } from '../../route.js'
import { parseQueryParams } from './query-request.js'

/** A v1 `/query` request, read from the URL, a form body or a raw InfluxQL body. */
export interface V1QueryRequest {
  q: string
  /** `db`, named `<db>/<rp>` when `rp` is a policy other than autogen. */
  db: string | undefined
  params: QueryParams
  format: 'json' | 'csv'
  epoch: Epoch | undefined
  pretty: boolean
  /** Values per chunk when `chunked=true`. */
  chunkSize: number | undefined
}

const defaultChunkSize = 10_000

/** Reads a `/query` request as InfluxDB 3 does (reference §8.6). Throws 400 FluxgateErrors. */
export async function readV1QueryRequest(request: RouteRequest): Promise<V1QueryRequest> {
  const format = v1Format(request.headers.accept)
  const fields = await requestFields(request)

  const q = fields.get('q') ?? ''
  if (q.trim() === '') {
    throw badRequest('expected a query to be provided in the query string or body')
  }
  const db = fields.get('db') ?? undefined
  const params = fields.get('params')
  return {
    q,
    db: db === undefined || db === '' ? undefined : withRetentionPolicy(db, fields.get('rp')),
    params: params === null ? {} : parseQueryParams(params),
    format,
    epoch: readEpoch(fields.get('epoch')),
    pretty: fields.get('pretty') === 'true',
    chunkSize:
      fields.get('chunked') === 'true' ? readChunkSize(fields.get('chunk_size')) : undefined,
  }
}

function v1Format(accept: string | undefined): 'json' | 'csv' {
  const value = accept?.trim() ?? ''
  if (value === '' || value === 'application/json' || value === '*/*') return 'json'
  if (value === 'application/csv' || value === 'text/csv') return 'csv'
  throw new FluxgateError('ERR_INVALID_MIME_TYPE', `invalid mime type (${value})`)
}

// GET reads the URL; a form POST's body fields override the URL's; a raw POST body is `q`.
async function requestFields(request: RouteRequest): Promise<URLSearchParams> {
  if (request.method === 'GET') {
    if (request.rawQuery === undefined || request.rawQuery === '') {
      throw badRequest("missing query parameters 'db' and 'q'")
    }
    return request.query
  }

  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  const fields = new URLSearchParams(request.query)
  if (type === 'application/x-www-form-urlencoded') {
    const body = new URLSearchParams(decodeUtf8(await request.body()))
    for (const [name, value] of body) fields.set(name, value)
    return fields
  }
  if (type !== '' && type !== 'application/vnd.influxql') {
    throw new FluxgateError('ERR_INVALID_MIME_TYPE', `invalid mime type (${type})`)
  }

  if ((fields.get('q') ?? '') === '') fields.set('q', decodeUtf8(await request.body()))
  return fields
}

function readEpoch(text: string | null): Epoch | undefined {
  if (text === null || text === '') return undefined
  const epoch = parseEpoch(text)
  if (epoch === undefined)
    throw badRequest(`invalid epoch ${text}, expected ns, u, µ, ms, s, m, h, d or w`)
  return epoch
}

function readChunkSize(text: string | null): number {
  if (text === null || text === '') return defaultChunkSize
  const size = Number(text)
  if (!Number.isSafeInteger(size) || size <= 0) throw badRequest(`invalid chunk_size ${text}`)
  return size
}

function badRequest(message: string): FluxgateError {
  return new FluxgateError('ERR_BAD_REQUEST', message)
}
