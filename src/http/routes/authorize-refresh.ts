import { z } from 'zod'

import { json } from '../replies.js'
import type { Route } from '../route.js'
import { readJsonBody } from './internal/json-body.js'
import { clientAddress, sessionsOf } from './internal/user-replies.js'

const refreshBody = z.object({ refreshToken: z.string().min(1) })

/**
 * `POST /api/v3/authorize/refresh`: trades a refresh token for a new access token and a new
 * refresh token. Each refresh token works once; presenting a used one ends the session.
 */
export const authorizeRefresh: Route = {
  method: 'POST',
  path: '/api/v3/authorize/refresh',
  access: { kind: 'public' },
  async handle(request, context) {
    const sessions = sessionsOf(context)
    const body = await readJsonBody(request, refreshBody)

    const issued = await sessions.refresh(body.refreshToken, clientAddress(request))
    return json(200, issued)
  },
}
