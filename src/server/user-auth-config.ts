import { join } from 'node:path'

import type {
  BrowserSignInSettings,
  BuiltInRoleName,
  OauthSettings,
  RoleMapping,
  SigningKeySource,
} from '../auth/index.js'
import {
  builtInRoles,
  defaultPasswordLimits,
  isTrustedTransport,
  passwordLimits,
} from '../auth/index.js'
import type { PasswordLimits } from '../auth/index.js'
import { FluxgateError } from '../errors/index.js'

/**
 * How users sign in; off unless `--user-auth-type` (or `--without-user-auth false`) turns it
 * on.
 */
export interface UserAuthConfig {
  /** Username and password sign-in, which issues Fluxgate's own JWTs. */
  basic: boolean
  /** Sign-in through an OAuth/OIDC identity provider; undefined when off. */
  oauth: OauthSettings | undefined
  signingKey: SigningKeySource
  /** `--jwt-key-id`; the key's JWK thumbprint when not given. */
  keyId: string | undefined
  issuer: string
  ttlSeconds: number
  passwords: PasswordLimits
}

/** User-auth settings as given. */
export interface UserAuthConfigInput {
  userAuthType?: string
  withoutUserAuth?: boolean
  jwtPrivateKey?: string
  jwtPrivateKeyFile?: string
  jwtKeyId?: string
  jwtIssuer?: string
  jwtDefaultTtlSeconds?: number
  passwordMinLength?: number
  oauthIssuer?: string
  oauthAudience?: string
  oauthClientId?: string
  oauthClientSecret?: string
  /** Comma separated; `openid,offline_access` by default. */
  oauthScopes?: string
  oauthAutoProvision?: boolean
  oauthRolesClaim?: string
  /** `Admin=group-a,Member=group-b`. */
  oauthRoleMap?: string
  /** The browser-facing base address; turns browser sign-in on. */
  webuiPublicUri?: string
  webuiCookieSecure?: boolean
}

const defaultIssuer = 'influxdb3-enterprise'
const defaultTtlSeconds = 3600
const ttlBounds = { min: 60, max: 86_400 }

/**
 * Validates the user-auth settings. `--user-auth-type` takes `none`, `basic`, `oauth` or
 * `basic,oauth`; the older `--without-user-auth false` means `basic`, and an explicit
 * `--without-user-auth true` turns user auth off whatever the type says.
 */
export function resolveUserAuthConfig(input: UserAuthConfigInput, dataDir: string): UserAuthConfig {
  const types = parseAuthTypes(input.userAuthType, input.withoutUserAuth)
  const issuer =
    input.jwtIssuer === undefined || input.jwtIssuer === '' ? defaultIssuer : input.jwtIssuer
  const oauth = types.has('oauth') ? parseOauthSettings(input) : undefined
  // The gate tells the two kinds of JWT apart by their `iss`.
  if (oauth?.issuer === issuer) {
    throw configError('--oauth-issuer must differ from --jwt-issuer, the iss of own tokens')
  }

  return {
    basic: types.has('basic'),
    oauth,
    signingKey: signingKeySource(input, dataDir),
    keyId: input.jwtKeyId === '' ? undefined : input.jwtKeyId,
    issuer,
    ttlSeconds: parseTtl(input.jwtDefaultTtlSeconds),
    passwords: parsePasswordLimits(input.passwordMinLength),
  }
}

function parseAuthTypes(text: string | undefined, withoutUserAuth: boolean | undefined) {
  if (withoutUserAuth === true) return new Set<string>()
  if (text === undefined || text === '') {
    return new Set<string>(withoutUserAuth === false ? ['basic'] : [])
  }

  const types = text.split(',').map((type) => type.trim())
  for (const type of types) {
    if (!['none', 'basic', 'oauth'].includes(type)) {
      throw configError(
        `--user-auth-type: expected none, basic, oauth or basic,oauth, got "${text}"`,
      )
    }
  }
  if (types.includes('none') && types.length > 1) {
    throw configError('--user-auth-type: none cannot be combined with other types')
  }

  return new Set(types.filter((type) => type !== 'none'))
}

function signingKeySource(input: UserAuthConfigInput, dataDir: string): SigningKeySource {
  const pem = input.jwtPrivateKey
  const file = input.jwtPrivateKeyFile
  if (pem !== undefined && pem !== '' && file !== undefined && file !== '') {
    throw configError('--jwt-private-key and --jwt-private-key-file cannot both be given')
  }
  if (pem !== undefined && pem !== '') return { kind: 'pem', pem, flag: '--jwt-private-key' }
  if (file !== undefined && file !== '') {
    return { kind: 'file', path: file, flag: '--jwt-private-key-file' }
  }

  return { kind: 'generated', path: join(dataDir, 'jwt-signing-key.pem') }
}

function parseTtl(value: number | undefined): number {
  if (value === undefined) return defaultTtlSeconds
  if (!Number.isSafeInteger(value) || value < ttlBounds.min || value > ttlBounds.max) {
    throw configError(
      `--jwt-default-ttl-seconds: expected ${ttlBounds.min} to ${ttlBounds.max} seconds, ` +
        `got ${value}`,
    )
  }

  return value
}

function parsePasswordLimits(minLength: number | undefined): PasswordLimits {
  return minLength === undefined ? defaultPasswordLimits : passwordLimits(minLength)
}

const defaultScopes = ['openid', 'offline_access']

function parseOauthSettings(input: UserAuthConfigInput): OauthSettings {
  const issuer = required('--oauth-issuer', input.oauthIssuer)
  if (!URL.canParse(issuer)) throw configError(`--oauth-issuer: "${issuer}" is not a URL`)
  if (!isTrustedTransport(issuer)) {
    throw configError(`--oauth-issuer: "${issuer}" must be https (plain http only on loopback)`)
  }

  const scopes = splitList(input.oauthScopes)
  const rolesClaim = emptyToUndefined(input.oauthRolesClaim)
  const roleMap = parseRoleMap(input.oauthRoleMap)
  if (roleMap.length > 0 && rolesClaim === undefined) {
    throw configError('--oauth-role-map needs --oauth-roles-claim, the claim that lists groups')
  }

  return {
    issuer,
    audience: required('--oauth-audience', input.oauthAudience),
    clientId: required('--oauth-client-id', input.oauthClientId),
    clientSecret: emptyToUndefined(input.oauthClientSecret),
    scopes: scopes.length === 0 ? defaultScopes : scopes,
    autoProvision: input.oauthAutoProvision ?? false,
    rolesClaim,
    roleMap,
    browser: browserSettings(input),
  }
}

/** The callback is `<public address>/auth/callback`, as the reference registers it. */
function browserSettings(input: UserAuthConfigInput): BrowserSignInSettings | undefined {
  const publicUri = emptyToUndefined(input.webuiPublicUri)
  if (publicUri === undefined) return undefined

  const flag = '--webui-public-uri'
  if (!URL.canParse(publicUri)) throw configError(`${flag}: "${publicUri}" is not a URL`)
  const base = new URL(publicUri)
  if (base.search !== '' || base.hash !== '' || base.username !== '' || base.password !== '') {
    throw configError(`${flag}: "${publicUri}" must be a plain base address`)
  }
  if (!isTrustedTransport(publicUri)) {
    throw configError(`${flag}: "${publicUri}" must be https (plain http only on loopback)`)
  }

  const path = base.pathname.replace(/\/+$/, '')
  return {
    redirectUri: `${base.origin}${path}/auth/callback`,
    origin: base.origin,
    secureCookie: input.webuiCookieSecure === true || base.protocol === 'https:',
  }
}

/** `Admin=group-a,Member=group-b`: a role may appear more than once, for several groups. */
function parseRoleMap(text: string | undefined): RoleMapping[] {
  return splitList(text).map((entry) => {
    const [role = '', group = ''] = entry.split('=', 2).map((part) => part.trim())
    if (!entry.includes('=') || group === '') {
      throw configError(`--oauth-role-map: expected ROLE=GROUP, got "${entry}"`)
    }
    if (!builtInRoles.some((builtIn) => builtIn.name === role)) {
      const names = builtInRoles.map((builtIn) => builtIn.name).join(', ')
      throw configError(`--oauth-role-map: "${role}" is not a role; use ${names}`)
    }
    return { role: role as BuiltInRoleName, group }
  })
}

function splitList(text: string | undefined): string[] {
  if (text === undefined) return []
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

function required(flag: string, value: string | undefined): string {
  const given = emptyToUndefined(value)
  if (given === undefined) throw configError(`${flag} is required with --user-auth-type oauth`)

  return given
}

function emptyToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}

function configError(message: string): FluxgateError {
  return new FluxgateError('ERR_CONFIG', message)
}
