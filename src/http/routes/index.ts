import type { Route } from '../route.js'
import { authorizeLogin } from './authorize-login.js'
import { authorizeLogout } from './authorize-logout.js'
import { authorizeRefresh } from './authorize-refresh.js'
import { authorizeResetPassword } from './authorize-reset-password.js'
import { authorizeWhoami } from './authorize-whoami.js'
import { jwks } from './jwks.js'
import { oauthBrowserCallback } from './oauth-browser-callback.js'
import { oauthBrowserLogin } from './oauth-browser-login.js'
import { oauthConfig } from './oauth-config.js'
import { userBootstrap } from './user-bootstrap.js'
import { databaseCreate } from './database-create.js'
import { databaseDelete } from './database-delete.js'
import { databaseList } from './database-list.js'
import { databaseUpdate } from './database-update.js'
import { health, healthV1 } from './health.js'
import { metrics } from './metrics.js'
import { ping, pingPost } from './ping.js'
import { queryInfluxqlGet, queryInfluxqlPost } from './query-influxql.js'
import { querySqlGet, querySqlPost } from './query-sql.js'
import { queryV1Get, queryV1Post } from './query-v1.js'
import { tableCreate } from './table-create.js'
import { tableDelete } from './table-delete.js'
import { tokenAdminCreate } from './token-admin-create.js'
import { tokenAdminRegenerate } from './token-admin-regenerate.js'
import { tokenDelete } from './token-delete.js'
import { tokenNamedAdminCreate } from './token-named-admin-create.js'
import { tokenResourceCreate } from './token-resource-create.js'
import { roleByName } from './role-by-name.js'
import { roleList } from './role-list.js'
import { rolePermissions } from './role-permissions.js'
import { userByOauthId } from './user-by-oauth-id.js'
import { userCreate } from './user-create.js'
import { userDelete } from './user-delete.js'
import { userGet } from './user-get.js'
import { userList } from './user-list.js'
import { userRequirePasswordReset } from './user-require-password-reset.js'
import { userRolesList } from './user-roles-list.js'
import { userRolesSet } from './user-roles-set.js'
import { userSessionDelete } from './user-session-delete.js'
import { userSessionsList } from './user-sessions-list.js'
import { userUpdate } from './user-update.js'
import { writeLp } from './write-lp.js'
import { writeV1 } from './write-v1.js'
import { writeV2 } from './write-v2.js'

/** Every endpoint of the main listener. */
export const allRoutes: Route[] = [
  userBootstrap,
  authorizeLogin,
  authorizeRefresh,
  authorizeLogout,
  authorizeResetPassword,
  authorizeWhoami,
  jwks,
  oauthConfig,
  oauthBrowserLogin,
  oauthBrowserCallback,
  userList,
  userCreate,
  userGet,
  userUpdate,
  userDelete,
  userRequirePasswordReset,
  userRolesList,
  userRolesSet,
  userSessionsList,
  userSessionDelete,
  userByOauthId,
  roleList,
  rolePermissions,
  roleByName,
  writeLp,
  writeV1,
  writeV2,
  querySqlGet,
  querySqlPost,
  queryInfluxqlGet,
  queryInfluxqlPost,
  queryV1Get,
  queryV1Post,
  databaseList,
  databaseCreate,
  databaseUpdate,
  databaseDelete,
  tableCreate,
  tableDelete,
  health,
  healthV1,
  ping,
  pingPost,
  metrics,
  tokenAdminCreate,
  tokenAdminRegenerate,
  tokenNamedAdminCreate,
  tokenResourceCreate,
  tokenDelete,
]
