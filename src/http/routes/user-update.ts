import { z } from 'zod'

import { json } from '../replies.js'
import type { Route } from '../route.js'
import { readJsonBody } from './internal/json-body.js'
import { recordUserChange, userIdParam } from './internal/user-lookup.js'
import { sessionsOf, userResponse } from './internal/user-replies.js'

const updateBody = z.object({ displayName: z.string().max(256) })

/** `PATCH /api/v3/users/{id}`: changes the display name; everyone may change their own. */
export const userUpdate: Route = {
  method: 'PATCH',
  path: '/api/v3/users/{id}',
  access: { kind: 'scoped' },
  async handle(request, context) {
    sessionsOf(context)
    const userId = userIdParam(request)
    request.authorize({ kind: 'user', action: 'update', userId })
    const body = await readJsonBody(request, updateBody)

    const user = context.users.update(
      userId,
      { displayName: body.displayName },
      context.clock.now(),
    )
    recordUserChange(request, context, { action: 'user_update', userId, detail: 'display name' })
    return json(200, userResponse(user))
  },
}
