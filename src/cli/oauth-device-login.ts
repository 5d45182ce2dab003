import { setTimeout as delay } from 'node:timers/promises'

import * as oidc from 'openid-client'
import type { DeviceAuthorizationResponse, TokenEndpointResponse } from 'openid-client'

import type { CliIo } from './cli-io.js'
import type { OAuthConfig } from './oauth-config.js'
import {
  OAuthGrantError,
  discoverProvider,
  providerAt,
  providerErrorOf,
} from './oauth-provider-client.js'
import type { ProviderEndpoints } from './oauth-provider-client.js'

/** The grant type of device-code polls (RFC 8628 §3.4). */
export const deviceCodeGrantType = 'urn:ietf:params:oauth:grant-type:device_code'

/** Seconds between polls when the provider names no `interval` (RFC 8628 §3.2). */
export const defaultPollIntervalSeconds = 5

/** What every `slow_down` answer adds to the interval, for the rest of the flow (RFC 8628 §3.5). */
export const slowDownStepSeconds = 5

type GrantResponse = TokenEndpointResponse & oidc.TokenEndpointResponseHelpers
type PollAnswer = GrantResponse | 'authorization_pending' | 'slow_down'

/** The tokens a provider issued to the command line. */
export interface OAuthTokens {
  readonly accessToken: string
  readonly refreshToken: string
  /** When the access token expires, in epoch seconds. */
  readonly expiresAt: number
  readonly idToken?: string
  /** The provider's `sub` for the signed-in account, from the ID token when one came. */
  readonly subject?: string
}

/** How the device flow waits; tests shorten or record the waits. */
export interface DeviceLoginOptions {
  /** Seconds between polls, in place of the provider's `interval`. */
  readonly intervalSeconds?: number
  /** Waits `milliseconds`, or rejects when `signal` aborts first. */
  readonly sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>
  /** Epoch milliseconds. */
  readonly now?: () => number
}

/** Where a session refreshes, and for which API audience (`resource` when a URI, RFC 8707). */
export interface OAuthRefreshTarget extends ProviderEndpoints {
  readonly audience?: string
}

/**
 * Signs in through the provider of `config` with the device authorization grant (RFC 8628): asks
 * for a device code with the config's scopes and the audience as `resource`, shows the verification
 * address and user code on stderr, then polls the token endpoint until the user approves.
 * @throws OAuthGrantError when the user refuses (`access_denied`), the code expires
 * (`expired_token`) or the provider refuses otherwise; Error when it cannot be reached.
 *
 * @example
 * const tokens = await loginWithDeviceCode(await fetchOAuthConfig(client), io)
 */
export async function loginWithDeviceCode(
  config: OAuthConfig,
  io: CliIo,
  options: DeviceLoginOptions = {},
): Promise<OAuthTokens> {
  if (config.deviceAuthorizationEndpoint === null) {
    throw new Error(`the provider ${config.issuer} offers no device sign-in`)
  }
  const provider = await discoverProvider(config.issuer, config.clientId, io.signal)
  requireAgreement(provider, config)

  const device = await requestDeviceCode(provider, config)
  showVerification(io, device)

  const response = await pollForTokens(provider, device, io.signal, options)
  return toOAuthTokens(response, options.now ?? Date.now)
}

/**
 * Trades `refreshToken` for new tokens at the provider's token endpoint. A provider that does
 * not rotate refresh tokens answers without one, and the presented one stays in use.
 * @throws OAuthGrantError when the provider refuses it (`invalid_grant`: the session has ended).
 */
export async function refreshOAuthSession(
  target: OAuthRefreshTarget,
  refreshToken: string,
  options: { readonly signal?: AbortSignal; readonly now?: () => number } = {},
): Promise<OAuthTokens> {
  const provider = providerAt(target, options.signal)
  const parameters: Record<string, string> = {}
  if (isResourceIndicator(target.audience)) parameters.resource = target.audience
  const response = await oidc
    .refreshTokenGrant(provider, refreshToken, parameters)
    .catch((error: unknown) => {
      throw providerErrorOf(error, 'the provider refused the refresh token', target.issuer)
    })

  return toOAuthTokens(response, options.now ?? Date.now, refreshToken)
}

/**
 * The session later refreshes at `config.tokenEndpoint` without discovery, so it must be the
 * endpoint the provider itself names; a mismatch is a misconfigured server.
 */
function requireAgreement(provider: oidc.Configuration, config: OAuthConfig): void {
  const named = provider.serverMetadata().token_endpoint
  if (named !== undefined && sameUrl(named, config.tokenEndpoint)) return

  throw new Error(
    `the server's OAuth config names the token endpoint ${config.tokenEndpoint}, ` +
      `but ${config.issuer} names ${named ?? 'none'}`,
  )
}

function sameUrl(left: string, right: string): boolean {
  return new URL(left).href === new URL(right).href
}

async function requestDeviceCode(
  provider: oidc.Configuration,
  config: OAuthConfig,
): Promise<DeviceAuthorizationResponse> {
  const parameters: Record<string, string> = { scope: config.scopes.join(' ') }
  if (isResourceIndicator(config.audience)) parameters.resource = config.audience
  return oidc.initiateDeviceAuthorization(provider, parameters).catch((error: unknown) => {
    throw providerErrorOf(error, 'the provider refused the device authorization', config.issuer)
  })
}

/**
 * A `resource` must be an absolute URI (RFC 8707 §2). An audience that is a bare name, such as
 * `fluxgate-api`, is left to the provider's default resource instead of being refused there.
 */
function isResourceIndicator(audience: string | undefined): audience is string {
  return audience !== undefined && URL.canParse(audience)
}

function showVerification(io: CliIo, device: DeviceAuthorizationResponse): void {
  const lines = [
    `To sign in, open ${device.verification_uri} and enter the code ${device.user_code}`,
  ]
  if (device.verification_uri_complete !== undefined) {
    lines.push(`(or open ${device.verification_uri_complete})`)
  }
  lines.push('Waiting for the sign-in to be approved…')
  io.stderr.stream.write(`${lines.join('\n')}\n`)
}

async function pollForTokens(
  provider: oidc.Configuration,
  device: DeviceAuthorizationResponse,
  signal: AbortSignal | undefined,
  options: DeviceLoginOptions,
): Promise<GrantResponse> {
  const sleep = options.sleep ?? sleepFor
  let intervalSeconds = options.intervalSeconds ?? device.interval ?? defaultPollIntervalSeconds
  for (;;) {
    await sleep(intervalSeconds * 1000, signal)

    const answer = await pollOnce(provider, device.device_code)
    if (answer === 'slow_down') intervalSeconds += slowDownStepSeconds
    else if (answer !== 'authorization_pending') return answer
  }
}

async function pollOnce(provider: oidc.Configuration, deviceCode: string): Promise<PollAnswer> {
  try {
    return await oidc.genericGrantRequest(provider, deviceCodeGrantType, {
      device_code: deviceCode,
    })
  } catch (error) {
    const issuer = provider.serverMetadata().issuer
    const refusal = providerErrorOf(error, 'the provider refused the sign-in', issuer)
    if (!(refusal instanceof OAuthGrantError)) throw refusal
    if (refusal.error === 'authorization_pending' || refusal.error === 'slow_down') {
      return refusal.error
    }
    throw endOfFlow(refusal)
  }
}

/** The two ends a person causes get messages that say what happened and what to do. */
function endOfFlow(refusal: OAuthGrantError): OAuthGrantError {
  if (refusal.error === 'access_denied') {
    return new OAuthGrantError(refusal.error, 'the sign-in was denied at the provider', {
      cause: refusal.cause,
    })
  }
  if (refusal.error === 'expired_token') {
    const message =
      'the device code expired before the sign-in was approved: run auth login --oauth again'
    return new OAuthGrantError(refusal.error, message, { cause: refusal.cause })
  }
  return refusal
}

/**
 * @param presented the refresh token just traded in, kept when the provider does not rotate.
 * @throws Error when there is no refresh token to keep: the session could not be refreshed.
 */
function toOAuthTokens(
  response: GrantResponse,
  now: () => number,
  presented?: string,
): OAuthTokens {
  const refreshToken = response.refresh_token ?? presented
  if (refreshToken === undefined) {
    throw new Error('the provider issued no refresh token: the server must ask for offline_access')
  }

  // Without `expires_in` the lifetime is unknown: the token counts as expiring now, so the next
  // command refreshes it first.
  const expiresAt = Math.floor(now() / 1000) + (response.expires_in ?? 0)
  const subject = response.claims()?.sub
  return {
    accessToken: response.access_token,
    refreshToken,
    expiresAt,
    ...(response.id_token === undefined ? {} : { idToken: response.id_token }),
    ...(subject === undefined ? {} : { subject }),
  }
}

function sleepFor(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return delay(milliseconds, undefined, { signal })
}
