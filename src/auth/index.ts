export { TokenRegistry } from './token-registry.js'
export type { TokenLookup, TokenRequest, TokenRefusal } from './token-registry.js'
export { RequestGate } from './request-gate.js'
export type { GateOptions, RouteAccess } from './request-gate.js'
export { authorize } from './authorizer.js'
export { parseDisableAuthz } from './disable-authz.js'
export { readCredential, parseAuthorization } from './credential-reader.js'
export { generateApiToken, tokenDigest, apiTokenPrefix } from './api-token.js'
export { operatorTokenName } from './api-token-record.js'
export type { ApiTokenRecord, IssuedToken } from './api-token-record.js'
export { adminPermission, formatPermission, isAdmin } from './permission.js'
export type { DatabaseAction, Permission, SystemResource } from './permission.js'
export { parsePermissionText, resolvePermission } from './permission-parser.js'
export type { PermissionSpec, DatabaseResolver } from './permission-parser.js'
export type { Access, Decision, Principal } from './principal.js'
export { tokensSystemTable } from './tokens-system-table.js'
export { auditSystemTable } from './audit-system-table.js'
export { loadSigningKey } from './signing-key.js'
export type { SigningKey, SigningKeySource } from './signing-key.js'
export { PasswordHasher, argon2Parameters } from './password-hasher.js'
export {
  defaultPasswordLimits,
  normalizePassword,
  passwordLimits,
  passwordProblem,
} from './password-policy.js'
export type { PasswordLimits } from './password-policy.js'
export { AccessTokenVerifier, issueAccessToken, firstPartyClientId } from './access-token.js'
export type { AccessClaims, AccessRefusal, AccessTokenSettings } from './access-token.js'
export { UserDirectory } from './user-directory.js'
export type { NewUser } from './user-directory.js'
export { SessionManager } from './session-manager.js'
export type { IssuedSession, SessionManagerOptions } from './session-manager.js'
export { LoginThrottle, defaultThrottlePolicy } from './login-throttle.js'
export type { ThrottlePolicy } from './login-throttle.js'
export { AuditTrail, actorOf } from './audit-trail.js'
export type { AuditActor, AuditEvent } from './audit-trail.js'
export { adminRoleId, apiPermissionsOf, builtInRoles, capabilitiesOf } from './roles.js'
export type {
  ApiPermission,
  BuiltInRole,
  BuiltInRoleName,
  ManagementAction,
  RoleCapabilities,
} from './roles.js'
export { userMay } from './authorizer.js'
export type { TokenPrincipal, UserPrincipal } from './principal.js'
export { mayGrant } from './grant-bounds.js'
export type { BrowserSignInSettings, OauthSettings, RoleMapping } from './oauth/oauth-settings.js'
export { ProviderClient } from './oauth/provider-client.js'
export { isTrustedTransport } from './oauth/provider-discovery.js'
export { ProviderTokenVerifier } from './oauth/provider-token-verifier.js'
export { OauthAuthenticator } from './oauth/oauth-authenticator.js'
export { BrowserSignIn } from './oauth/browser-sign-in.js'
export {
  clearSessionCookie,
  clearSignInBindingCookie,
  readSessionCookie,
  readSignInBinding,
  sessionCookie,
  signInBindingCookie,
} from './session-cookie.js'
