import { z } from 'zod'

import { adminRoleId, operatorTokenName } from '../../auth/index.js'
import { FluxgateError } from '../../errors/index.js'
import { json } from '../replies.js'
import type { Route } from '../route.js'
import { readJsonBody } from './internal/json-body.js'
import { checkSignIn, identityFields, newPasswordHash } from './internal/new-user-body.js'
import { clientAddress, userResponse } from './internal/user-replies.js'
import { isLoopback } from './token-admin-create.js'

const bootstrapBody = z.object(identityFields).superRefine(checkSignIn)

/**
 * `POST /api/v3/configure/user`: creates the first user, with the Admin role, and the operator
 * token, shown once in the answer. It needs no credential, so it answers only clients on the
 * server's own machine, and only while no user and no operator token exist (409 afterwards).
 */
export const userBootstrap: Route = {
  method: 'POST',
  path: '/api/v3/configure/user',
  access: { kind: 'public' },
  async handle(request, context) {
    if (!isLoopback(request.remoteAddress)) throw new FluxgateError('ERR_BOOTSTRAP_REMOTE')
    const body = await readJsonBody(request, bootstrapBody)
    assertFreshServer(context.users.isEmpty(), context.tokens.findByName(operatorTokenName))

    const passwordHash = await newPasswordHash(context, body)
    // Checked again: another bootstrap may have finished while the password was hashed.
    assertFreshServer(context.users.isEmpty(), context.tokens.findByName(operatorTokenName))
    const { username, displayName, oauthId } = body
    const user = context.users.create(
      { username, displayName, oauthId, passwordHash, roleIds: [adminRoleId] },
      context.clock.now(),
    )
    const operator = context.tokens.createOperatorToken()

    context.audit.record({
      action: 'bootstrap',
      outcome: 'success',
      actor: { kind: 'anonymous', id: undefined, name: undefined },
      target: `user:${user.id}`,
      clientAddress: clientAddress(request),
      detail: 'first admin and operator token created',
    })
    return json(201, { ...userResponse(user), operatorToken: operator.secret })
  },
}

function assertFreshServer(noUsers: boolean, operator: unknown): void {
  if (!noUsers || operator !== undefined) throw new FluxgateError('ERR_BOOTSTRAP_DONE')
}
