import { z } from 'zod'

import { parseRetentionPeriod } from '../../catalog/index.js'
import { empty } from '../replies.js'
import type { Route } from '../route.js'
import { databaseAccess } from './internal/database-access.js'
import { readJsonBody } from './internal/json-body.js'

const updateDatabaseBody = z.object({
  db: z.string(),
  retention_period: z.string().nullish(),
})

/** `PUT /api/v3/configure/database`: sets or (with null) clears a retention period. */
export const databaseUpdate: Route = {
  method: 'PUT',
  path: '/api/v3/configure/database',
  access: { kind: 'scoped' },
  async handle(request, context) {
    const body = await readJsonBody(request, updateDatabaseBody)
    request.authorize(databaseAccess(context, body.db, ['create']))
    const retention =
      body.retention_period == null ? undefined : parseRetentionPeriod(body.retention_period)

    context.databases.catalog.setRetention(body.db, retention)
    return empty(200)
  },
}
