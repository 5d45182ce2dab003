import type { z } from 'zod'

import { FluxgateError } from '../../../errors/index.js'
import type { RouteRequest } from '../../route.js'
import { parseJsonBody } from '../../request-body.js'
import { describeIssue } from './query-request.js'

/** Reads a JSON body (content type checked) and validates it against `schema`. */
export async function readJsonBody<T>(request: RouteRequest, schema: z.ZodType<T>): Promise<T> {
  const value = parseJsonBody(request, await request.body())
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new FluxgateError('ERR_BAD_JSON', describeIssue(parsed.error))
  return parsed.data
}
