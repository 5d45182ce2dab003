import { FluxgateError } from '../../errors/index.js'
import { empty } from '../replies.js'
import type { Route } from '../route.js'
import { recordTokenEvent } from './internal/token-audit.js'

/**
 * `DELETE /api/v3/configure/token?token_name=…`: deletes a token; its secret stops working on
 * the next request. Admin tokens may delete any token (a named admin token itself, too); the
 * operator token `_admin` cannot be deleted.
 */
export const tokenDelete: Route = {
  method: 'DELETE',
  path: '/api/v3/configure/token',
  access: { kind: 'admin' },
  handle(request, context) {
    const name = request.query.get('token_name')
    if (name === null) throw new FluxgateError('ERR_BAD_QUERY_STRING', 'missing field `token_name`')

    const deleted = context.tokens.delete(name)
    const by = request.principal.kind === 'token' ? request.principal.token.id : undefined
    request.log.info({ tokenId: deleted.id, byTokenId: by }, 'token deleted')
    recordTokenEvent(request, context, {
      action: 'token_delete',
      tokenId: deleted.id,
      tokenName: deleted.name,
    })
    return Promise.resolve(empty(200))
  },
}
