import type { BuiltInRoleName } from '../roles.js'

/** One `--oauth-role-map` entry: members of `group` hold `role`. */
export interface RoleMapping {
  role: BuiltInRoleName
  group: string
}

/**
 * How the server trusts one OpenID Connect provider. One issuer is configured at a time: users
 * are matched by `sub` alone, which is unique only within its issuer.
 */
export interface OauthSettings {
  /** `--oauth-issuer`: compared exactly with the metadata's and each token's `iss`. */
  issuer: string
  /** `--oauth-audience`: each token's `aud` must contain it. */
  audience: string
  /** `--oauth-client-id`: the public client that device and browser sign-ins use. */
  clientId: string
  /** `--oauth-client-secret`, for a confidential client; never sent to clients. */
  clientSecret: string | undefined
  /** `--oauth-scopes`, `openid,offline_access` by default. */
  scopes: string[]
  /** `--oauth-auto-provision`: an unknown subject the provider vouches for becomes a user. */
  autoProvision: boolean
  /** `--oauth-roles-claim`: the token claim that lists the subject's groups. */
  rolesClaim: string | undefined
  /** `--oauth-role-map`: which group gives which role. */
  roleMap: RoleMapping[]
  /** Browser sign-in; undefined unless `--webui-public-uri` names the browser-facing address. */
  browser: BrowserSignInSettings | undefined
}

/** Where the browser comes back to after the provider's sign-in, and how its cookie is set. */
export interface BrowserSignInSettings {
  /** `<--webui-public-uri>/auth/callback`, registered at the provider, compared exactly there. */
  redirectUri: string
  /** The origin of `--webui-public-uri`: its pages alone may use the cookie to change things. */
  origin: string
  /** `--webui-cookie-secure`, or an https public address: the session cookie is `Secure`. */
  secureCookie: boolean
}
