import type { TokenRegistry } from '../auth/index.js'
import type { DatabaseService, QueryService, WriteService } from '../data/index.js'
import type { Clock } from '../shared/index.js'
import type { HttpMetrics } from './http-metrics.js'

/** The services routes call, built once by the server's composition root. */
export interface ServerContext {
  databases: DatabaseService
  writes: WriteService
  queries: QueryService
  tokens: TokenRegistry
  metrics: HttpMetrics
  clock: Clock
  /** Answered in `/ping` and its headers. */
  version: { product: string; version: string; revision: string; processId: string }
}
