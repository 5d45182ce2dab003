import type { Route } from '../route.js'
import { issuedTokenReply } from './internal/token-reply.js'
import { recordTokenEvent } from './internal/token-audit.js'

/** `POST /api/v3/configure/token/admin/regenerate`: a new secret for `_admin`, same id. */
export const tokenAdminRegenerate: Route = {
  method: 'POST',
  path: '/api/v3/configure/token/admin/regenerate',
  access: { kind: 'admin' },
  handle(request, context) {
    const by = request.principal.kind === 'token' ? request.principal.token : undefined
    const issued = context.tokens.regenerateOperatorToken(by)
    request.log.warn({ tokenId: issued.record.id, byTokenId: by?.id }, 'operator token regenerated')
    recordTokenEvent(request, context, {
      action: 'token_regenerate',
      tokenId: issued.record.id,
      tokenName: issued.record.name,
    })
    return Promise.resolve(issuedTokenReply(issued))
  },
}
