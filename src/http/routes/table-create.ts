import { z } from 'zod'

import type { ColumnDef, ColumnType } from '../../storage/index.js'
import { empty } from '../replies.js'
import type { Route } from '../route.js'
import { databaseAccess } from './internal/database-access.js'
import { readJsonBody } from './internal/json-body.js'

const fieldTypes = {
  utf8: 'string',
  int64: 'integer',
  uint64: 'uinteger',
  float64: 'float',
  bool: 'boolean',
} as const satisfies Record<string, ColumnType>

const createTableBody = z.object({
  db: z.string(),
  table: z.string().min(1),
  tags: z.array(z.string().min(1)),
  fields: z
    .array(
      z.object({
        name: z.string().min(1),
        type: z.enum(['utf8', 'int64', 'uint64', 'float64', 'bool']),
      }),
    )
    .default([]),
})

/** `POST /api/v3/configure/table`: creates a table with its tags and typed fields. */
export const tableCreate: Route = {
  method: 'POST',
  path: '/api/v3/configure/table',
  access: { kind: 'scoped' },
  async handle(request, context) {
    const body = await readJsonBody(request, createTableBody)
    request.authorize(databaseAccess(context, body.db, ['create']))
    const columns: ColumnDef[] = [
      ...body.tags.map((name): ColumnDef => ({ name, type: 'tag' })),
      ...body.fields.map((f): ColumnDef => ({ name: f.name, type: fieldTypes[f.type] })),
    ]

    await context.databases.createTable(body.db, body.table, columns)
    return empty(200)
  },
}
