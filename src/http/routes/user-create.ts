import { z } from 'zod'

import { json } from '../replies.js'
import type { Route } from '../route.js'
import { readJsonBody } from './internal/json-body.js'
import { checkSignIn, identityFields, newPasswordHash } from './internal/new-user-body.js'
import { recordUserChange } from './internal/user-lookup.js'
import { sessionsOf, userResponse } from './internal/user-replies.js'

const createBody = z
  .object({ ...identityFields, roleIds: z.array(z.number().int().positive()).optional() })
  .superRefine(checkSignIn)

/**
 * `POST /api/v3/users`: creates a user who signs in with a password, through the identity
 * provider (`oauthId`: the provider's `sub`), or both. Assigning roles at
 * creation also needs the right to manage roles, so a user who may only create users cannot
 * hand out more than they hold. 409 when the username is taken, 404 for an unknown role.
 */
export const userCreate: Route = {
  method: 'POST',
  path: '/api/v3/users',
  access: { kind: 'scoped' },
  async handle(request, context) {
    sessionsOf(context) // users exist only with user authentication on: 503 before anything else
    request.authorize({ kind: 'user', action: 'create', userId: undefined })
    const body = await readJsonBody(request, createBody)
    const roleIds = body.roleIds ?? []
    if (roleIds.length > 0) request.authorize({ kind: 'role', action: 'update' })

    const passwordHash = await newPasswordHash(context, body)
    const user = context.users.create(
      {
        username: body.username,
        displayName: body.displayName,
        oauthId: body.oauthId,
        passwordHash,
        roleIds,
      },
      context.clock.now(),
    )

    recordUserChange(request, context, {
      action: 'user_create',
      userId: user.id,
      detail: `roles ${user.roleIds.join(',') || 'none'}`,
    })
    return json(201, userResponse(user))
  },
}
