import { z } from 'zod'

import { mayGrant, resolvePermission } from '../../auth/index.js'
import { INTERNAL_DATABASE } from '../../catalog/index.js'
import { FluxgateError } from '../../errors/index.js'
import type { Route } from '../route.js'
import { readJsonBody } from './internal/json-body.js'
import { maxExpirySeconds } from './internal/token-reply.js'
import { issuedTokenReply } from './internal/token-reply.js'
import { recordTokenEvent } from './internal/token-audit.js'

const permissionBody = z
  .object({
    resource_type: z.string(),
    resource_names: z.array(z.string()).optional(),
    resource_identifier: z.array(z.string()).optional(),
    actions: z.array(z.string()).min(1),
  })
  .refine((p) => p.resource_names !== undefined || p.resource_identifier !== undefined, {
    message: 'missing field `resource_names`',
  })

const resourceTokenBody = z.object({
  token_name: z.string().min(1),
  permissions: z.array(permissionBody).min(1),
  expiry_secs: z.number().int().nonnegative().max(maxExpirySeconds).nullish(),
  type: z.literal('resource').optional(),
})

/**
 * `POST /api/v3/enterprise/configure/token`: a resource token with structured permissions
 * (`{"resource_type": "db", "resource_names": ["a"], "actions": ["read"]}`). Database names
 * must exist; they are held by id from here on. Admins and users whose role manages resource
 * tokens may create them; a user only within what the user may do, and the token stays bounded
 * by the user's rights at every use.
 */
export const tokenResourceCreate: Route = {
  method: 'POST',
  path: '/api/v3/enterprise/configure/token',
  access: { kind: 'scoped' },
  async handle(request, context) {
    request.authorize({ kind: 'token', action: 'create' })
    const body = await readJsonBody(request, resourceTokenBody)
    const catalog = context.databases.catalog
    const permissions = body.permissions.map((p) =>
      resolvePermission(
        {
          resourceType: p.resource_type,
          resourceNames: p.resource_names ?? p.resource_identifier ?? [],
          actions: p.actions,
        },
        (name) => catalog.findDatabase(name)?.id,
      ),
    )

    const internalId = catalog.findDatabase(INTERNAL_DATABASE)?.id
    if (!mayGrant(request.principal, permissions, internalId)) {
      throw new FluxgateError('ERR_AUTH_FORBIDDEN')
    }

    const createdBy = request.principal.kind === 'token' ? request.principal.token : undefined
    const createdByUserId = request.principal.kind === 'user' ? request.principal.userId : undefined
    const issued = context.tokens.create({
      name: body.token_name,
      permissions,
      expiresAt: undefined,
      lifetimeSeconds: body.expiry_secs ?? undefined,
      createdBy,
      createdByUserId,
    })
    recordTokenEvent(request, context, {
      action: 'token_create',
      tokenId: issued.record.id,
      tokenName: issued.record.name,
    })
    request.log.info(
      { tokenId: issued.record.id, byTokenId: createdBy?.id },
      'resource token created',
    )
    return issuedTokenReply(issued)
  },
}
