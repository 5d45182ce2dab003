import { isIP } from 'node:net'

import { FluxgateError } from '../../errors/index.js'
import type { Route } from '../route.js'
import { issuedTokenReply } from './internal/token-reply.js'
import { recordTokenEvent } from './internal/token-audit.js'

/**
 * `POST /api/v3/configure/token/admin`: creates the operator token `_admin`, once. It needs no
 * credential, so it answers only clients on the server's own machine: a stranger on the
 * network cannot claim a fresh server.
 */
export const tokenAdminCreate: Route = {
  method: 'POST',
  path: '/api/v3/configure/token/admin',
  access: { kind: 'public' },
  handle(request, context) {
    if (!isLoopback(request.remoteAddress)) throw new FluxgateError('ERR_BOOTSTRAP_REMOTE')

    const issued = context.tokens.createOperatorToken()
    request.log.warn({ tokenId: issued.record.id }, 'operator token created')
    recordTokenEvent(request, context, {
      action: 'token_create',
      tokenId: issued.record.id,
      tokenName: issued.record.name,
    })
    return Promise.resolve(issuedTokenReply(issued))
  },
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  if (isIP(v4) === 4) return v4.startsWith('127.')
  return address === '::1'
}
