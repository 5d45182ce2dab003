import { z } from 'zod'

import { empty } from '../replies.js'
import type { Route } from '../route.js'
import { readJsonBody } from './internal/json-body.js'
import { clientAddress, sessionsOf } from './internal/user-replies.js'

const resetBody = z.object({
  username: z.string().min(1),
  currentPassword: z.string().min(1),
  newPassword: z.string().min(1),
})

/**
 * `POST /api/v3/authorize/reset-password`: changes a password given the current one, also for a
 * user an admin asked to reset it. Every session of the user ends.
 */
export const authorizeResetPassword: Route = {
  method: 'POST',
  path: '/api/v3/authorize/reset-password',
  access: { kind: 'public' },
  async handle(request, context) {
    const sessions = sessionsOf(context)
    const body = await readJsonBody(request, resetBody)

    await sessions.resetPassword(body, clientAddress(request))
    return empty(204)
  },
}
