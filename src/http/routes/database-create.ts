import { z } from 'zod'

import { parseRetentionPeriod } from '../../catalog/index.js'
import { empty } from '../replies.js'
import type { Route } from '../route.js'
import { readJsonBody } from './internal/json-body.js'

const createDatabaseBody = z.object({
  db: z.string(),
  retention_period: z.string().nullish(),
})

/** `POST /api/v3/configure/database`: creates a database, optionally with a retention period. */
export const databaseCreate: Route = {
  method: 'POST',
  path: '/api/v3/configure/database',
  access: { kind: 'scoped' },
  async handle(request, context) {
    const body = await readJsonBody(request, createDatabaseBody)
    request.authorize({ kind: 'database', databaseId: undefined, actions: ['create'] })
    const retention =
      body.retention_period == null ? undefined : parseRetentionPeriod(body.retention_period)

    context.databases.createDatabase(body.db, retention)
    return empty(200)
  },
}
