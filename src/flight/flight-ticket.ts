import { z } from 'zod'

import { FluxgateError } from '../errors/index.js'
import { paramsSchema } from '../http/routes/internal/query-request.js'
import type { QueryParams } from '../storage/index.js'

/** What a Flight ticket asks for: a query on one database, in SQL or InfluxQL. */
export interface FlightTicket {
  database: string
  query: string
  language: 'sql' | 'influxql'
  params: QueryParams
}

// The JSON the InfluxDB 3 clients put in `Ticket.ticket`; `query_type` defaults to SQL as in
// the reference, and unknown keys are ignored so newer clients keep working.
const ticketSchema = z.object({
  database: z.string().min(1),
  sql_query: z.string().min(1),
  query_type: z.enum(['sql', 'influxql']).default('sql'),
  params: paramsSchema.nullish(),
})

/**
 * Reads the UTF-8 JSON ticket of a `DoGet` call. Throws ERR_BAD_REQUEST (gRPC InvalidArgument)
 * naming the first problem, never echoing the ticket itself.
 */
export function parseFlightTicket(bytes: Uint8Array): FlightTicket {
  const parsed = ticketSchema.safeParse(parseJson(bytes))
  if (!parsed.success) throw new FluxgateError('ERR_BAD_REQUEST', describe(parsed.error))

  const { database, sql_query, query_type, params } = parsed.data
  return { database, query: sql_query, language: query_type, params: params ?? {} }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return JSON.parse(text) as unknown
  } catch {
    throw new FluxgateError('ERR_BAD_REQUEST', 'invalid ticket: expected UTF-8 JSON')
  }
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0]
  if (issue === undefined) return 'invalid ticket'

  const field = issue.path.join('.')
  return field === ''
    ? `invalid ticket: ${issue.message}`
    : `invalid ticket: ${field}: ${issue.message}`
}
