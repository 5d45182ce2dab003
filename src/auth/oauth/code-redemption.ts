import { z } from 'zod'

import type { OauthSettings } from './oauth-settings.js'
import { providerFetch } from './provider-http.js'
import type { HttpDeps } from './provider-http.js'

/** One authorization code to turn into tokens at the provider's token endpoint. */
export interface CodeRedemption {
  tokenEndpoint: string
  code: string
  redirectUri: string
  codeVerifier: string
}

/** What the redemption gave, or why not (the provider's `error` code, never its input). */
export type RedemptionOutcome = { ok: true; idToken: string } | { ok: false; reason: string }

const tokenAnswer = z.object({ id_token: z.string() })
const errorAnswer = z.object({ error: z.string() })

/**
 * Redeems an authorization code (RFC 6749 §4.1.3) with its PKCE verifier. A confidential
 * client authenticates with `client_secret_basic`; a public one names itself in the body.
 * Redirects are not followed, and the call gives up after the provider client's timeout.
 */
export async function redeemCode(
  redemption: CodeRedemption,
  settings: OauthSettings,
  http: HttpDeps,
): Promise<RedemptionOutcome> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: redemption.code,
    redirect_uri: redemption.redirectUri,
    code_verifier: redemption.codeVerifier,
  })
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (settings.clientSecret === undefined) body.set('client_id', settings.clientId)
  else headers.authorization = basicCredentials(settings.clientId, settings.clientSecret)

  try {
    const res = await providerFetch(redemption.tokenEndpoint, http, {
      method: 'POST',
      body,
      headers,
    })
    return readAnswer(res.ok, await res.json().catch(() => undefined))
  } catch {
    return { ok: false, reason: 'token_endpoint_unreachable' }
  }
}

function readAnswer(ok: boolean, body: unknown): RedemptionOutcome {
  if (ok) {
    const parsed = tokenAnswer.safeParse(body)
    return parsed.success
      ? { ok: true, idToken: parsed.data.id_token }
      : { ok: false, reason: 'no_id_token' }
  }

  const refused = errorAnswer.safeParse(body)
  return { ok: false, reason: refused.success ? safeCode(refused.data.error) : 'refused' }
}

/** RFC 6749 §2.3.1: both parts are form-encoded before they are joined and encoded. */
function basicCredentials(clientId: string, secret: string): string {
  const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`
  return `Basic ${Buffer.from(pair).toString('base64')}`
}

// The provider's error code goes to the log: keep it to the characters error codes use.
function safeCode(code: string): string {
  return code.replace(/[^\w.-]/g, '').slice(0, 64)
}
