import type {
  AuditTrail,
  BrowserSignIn,
  ProviderClient,
  SessionManager,
  TokenRegistry,
  UserDirectory,
} from '../auth/index.js'
import type { DatabaseService, QueryService, WriteService } from '../data/index.js'
import type { Clock } from '../shared/index.js'
import type { HttpMetrics } from './http-metrics.js'

/** The services routes call, built once by the server's composition root. */
export interface ServerContext {
  databases: DatabaseService
  writes: WriteService
  queries: QueryService
  tokens: TokenRegistry
  users: UserDirectory
  /** Password sign-in and sessions; undefined when user authentication is off. */
  sessions: SessionManager | undefined
  /** The identity provider; undefined when OAuth sign-in is off. */
  oauth: ProviderClient | undefined
  /** Sign-in of browsers through the provider; undefined without `--webui-public-uri`. */
  browserSignIn: BrowserSignIn | undefined
  audit: AuditTrail
  metrics: HttpMetrics
  clock: Clock
  /** Answered in `/ping` and its headers. */
  version: { product: string; version: string; revision: string; processId: string }
}
