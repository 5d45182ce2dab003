import { z } from 'zod'

import { adminPermission } from '../../auth/index.js'
import type { Route } from '../route.js'
import { readJsonBody } from './internal/json-body.js'
import { maxExpirySeconds } from './internal/token-reply.js'
import { issuedTokenReply } from './internal/token-reply.js'
import { recordTokenEvent } from './internal/token-audit.js'

const namedAdminBody = z.object({
  token_name: z.string().min(1),
  expiry_secs: z.number().int().nonnegative().max(maxExpirySeconds).nullish(),
})

/** `POST /api/v3/configure/token/named_admin`: another admin token, with a name and expiry. */
export const tokenNamedAdminCreate: Route = {
  method: 'POST',
  path: '/api/v3/configure/token/named_admin',
  access: { kind: 'admin' },
  async handle(request, context) {
    const body = await readJsonBody(request, namedAdminBody)
    const createdBy = request.principal.kind === 'token' ? request.principal.token : undefined

    const issued = context.tokens.create({
      name: body.token_name,
      permissions: [adminPermission],
      expiresAt: undefined,
      lifetimeSeconds: body.expiry_secs ?? undefined,
      createdBy,
    })
    request.log.info({ tokenId: issued.record.id, byTokenId: createdBy?.id }, 'admin token created')
    recordTokenEvent(request, context, {
      action: 'token_create',
      tokenId: issued.record.id,
      tokenName: issued.record.name,
    })
    return issuedTokenReply(issued)
  },
}
