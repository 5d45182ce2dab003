import { z } from 'zod'

import { json } from '../replies.js'
import type { Route } from '../route.js'
import { readJsonBody } from './internal/json-body.js'
import { clientAddress, sessionsOf } from './internal/user-replies.js'

const loginBody = z.object({ username: z.string().min(1), password: z.string().min(1) })

/**
 * `POST /api/v3/authorize`: signs in with a username and password and answers
 * `{token, refreshToken, userId, expiresAt}`. An unknown user and a wrong password get the same
 * answer in the same time; repeated failures are throttled (429 with `Retry-After`).
 */
export const authorizeLogin: Route = {
  method: 'POST',
  path: '/api/v3/authorize',
  access: { kind: 'public' },
  async handle(request, context) {
    const sessions = sessionsOf(context)
    const body = await readJsonBody(request, loginBody)

    const issued = await sessions.login(body.username, body.password, clientAddress(request))
    return json(200, issued)
  },
}
