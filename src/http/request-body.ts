import type { IncomingMessage } from 'node:http'
import { gunzip } from 'node:zlib'

import { FluxgateError } from '../errors/index.js'

/**
 * Reads a request body up to `limit` bytes, before and after decompression, and decodes a
 * `gzip` content encoding (several concatenated members too). Throws ERR_BODY_TOO_LARGE,
 * ERR_BAD_CONTENT_ENCODING or ERR_BAD_GZIP.
 */
export async function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = contentEncodingOf(req)
  const raw = await readRaw(req, limit)
  if (encoding === 'identity') return raw

  return gunzipLimited(raw, limit)
}

function contentEncodingOf(req: IncomingMessage): 'identity' | 'gzip' {
  const value = req.headers['content-encoding']?.trim().toLowerCase()
  if (value === undefined || value === '' || value === 'identity') return 'identity'
  if (value === 'gzip') return 'gzip'

  throw new FluxgateError('ERR_BAD_CONTENT_ENCODING', req.headers['content-encoding'])
}

async function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) throw tooLarge(limit)

  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw tooLarge(limit)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks, size)
}

function gunzipLimited(raw: Buffer, limit: number): Promise<Buffer> {
  if (raw.length === 0) return Promise.resolve(raw)

  return new Promise((resolve, reject) => {
    gunzip(raw, { maxOutputLength: limit }, (error, result) => {
      if (error === null) resolve(result)
      else if (isOutputTooLarge(error)) reject(tooLarge(limit))
      else reject(new FluxgateError('ERR_BAD_GZIP', error.message))
    })
  })
}

function isOutputTooLarge(error: Error): boolean {
  return 'code' in error && error.code === 'ERR_BUFFER_TOO_LARGE'
}

function tooLarge(limit: number): FluxgateError {
  return new FluxgateError('ERR_BODY_TOO_LARGE', `max request size (${limit} bytes) exceeded`)
}

/** Decodes a body as UTF-8, refusing invalid sequences with ERR_BODY_NOT_UTF8. */
export function decodeUtf8(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch (error) {
    throw new FluxgateError('ERR_BODY_NOT_UTF8', 'invalid utf-8 sequence', { cause: error })
  }
}

/** Parses a JSON body, requiring an `application/json` (or `+json`) content type. */
export function parseJsonBody(req: { headers: IncomingMessage['headers'] }, body: Buffer): unknown {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase() ?? ''
  const isJson =
    type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))
  if (!isJson) throw new FluxgateError('ERR_UNSUPPORTED_MEDIA_TYPE')

  try {
    return JSON.parse(decodeUtf8(body)) as unknown
  } catch (error) {
    if (error instanceof FluxgateError) throw error
    throw new FluxgateError('ERR_BAD_JSON', (error as Error).message)
  }
}
