import { z } from 'zod'

import type { ServerContext } from '../../server-context.js'
import { sessionsOf } from './user-replies.js'

/** Who a new user is: a username with a password, a subject at the identity provider, or both. */
export const identityFields = {
  username: z.string().min(1).max(128).optional(),
  password: z.string().min(1).optional(),
  displayName: z.string().max(256).optional(),
  oauthId: z.string().min(1).max(256).optional(),
}

interface SignInFields {
  username?: string
  password?: string
  oauthId?: string
}

/** The rules of `identityFields` as a whole, for `.superRefine`. */
export function checkSignIn(body: SignInFields, context: z.RefinementCtx): void {
  if ((body.username !== undefined) !== (body.password !== undefined)) {
    context.addIssue({ code: 'custom', message: 'username and password go together' })
  }
  if (body.username === undefined && body.oauthId === undefined) {
    context.addIssue({
      code: 'custom',
      message: 'a username and password, or an oauthId, is needed',
    })
  }
}

/** The new user's password hashed under the server's password policy; none without a password. */
export async function newPasswordHash(
  context: ServerContext,
  body: SignInFields,
): Promise<string | undefined> {
  if (body.password === undefined) return undefined
  return sessionsOf(context).hashNewPassword(body.password, body.username)
}
