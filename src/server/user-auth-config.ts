import { join } from 'node:path'

import type { SigningKeySource } from '../auth/index.js'
import { defaultPasswordLimits, passwordLimits } from '../auth/index.js'
import type { PasswordLimits } from '../auth/index.js'
import { FluxgateError } from '../errors/index.js'

/** How users sign in; off unless `--user-auth-type` (or `--without-user-auth false`) turns it on. */
export interface UserAuthConfig {
  /** Username and password sign-in, which issues Fluxgate's own JWTs. */
  basic: boolean
  /** Sign-in through an OAuth/OIDC identity provider. */
  oauth: boolean
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

  return {
    basic: types.has('basic'),
    oauth: types.has('oauth'),
    signingKey: signingKeySource(input, dataDir),
    keyId: input.jwtKeyId === '' ? undefined : input.jwtKeyId,
    issuer:
      input.jwtIssuer === undefined || input.jwtIssuer === '' ? defaultIssuer : input.jwtIssuer,
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
      `--jwt-default-ttl-seconds: expected ${ttlBounds.min} to ${ttlBounds.max} seconds, got ${value}`,
    )
  }

  return value
}

function parsePasswordLimits(minLength: number | undefined): PasswordLimits {
  return minLength === undefined ? defaultPasswordLimits : passwordLimits(minLength)
}

function configError(message: string): FluxgateError {
  return new FluxgateError('ERR_CONFIG', message)
}
