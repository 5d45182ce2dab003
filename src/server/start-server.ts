import { createServer } from 'node:http'
import { availableParallelism } from 'node:os'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

import { pino } from 'pino'
import type { DestinationStream, Logger } from 'pino'

import { Catalog, INTERNAL_DATABASE, openSqliteCatalogStore } from '../catalog/index.js'
import type { CatalogStore } from '../catalog/index.js'
import { DatabaseService, QueryService, WriteService } from '../data/index.js'
import {
  AuditTrail,
  LoginThrottle,
  BrowserSignIn,
  OauthAuthenticator,
  PasswordHasher,
  ProviderClient,
  ProviderTokenVerifier,
  RequestGate,
  SessionManager,
  TokenRegistry,
  UserDirectory,
  loadSigningKey,
  operatorTokenName,
  auditSystemTable,
  tokensSystemTable,
} from '../auth/index.js'
import type { OauthSettings } from '../auth/index.js'
import { createFlightServer } from '../flight/index.js'
import type { FlightServer } from '../flight/index.js'
import { HttpMetrics, Router, allRoutes, createPipeline } from '../http/index.js'
import { LineParserPool } from '../lineprotocol/index.js'
import type { ServerContext } from '../http/index.js'
import type { Clock } from '../shared/index.js'
import { systemClock, uuidv7 } from '../shared/index.js'
import { createStorageEngine } from '../storage/index.js'
import type { SystemTable } from '../storage/index.js'
import { fluxgateVersion } from './version.js'
import { splitProtocols } from './protocol-splitter.js'
import type { ProtocolSplitter } from './protocol-splitter.js'
import { loadAdminTokenFile, loadPermissionTokensFile } from './offline-token-files.js'
import { startRecoveryListener } from './recovery-listener.js'
import type { RecoveryListener } from './recovery-listener.js'
import type { ServerConfig, ServerConfigInput } from './server-config.js'
import { resolveServerConfig } from './server-config.js'

/** A server that is listening. */
export interface RunningServer {
  /** `http://host:port` as a client reaches it. */
  url: string
  port: number
  /** The admin-token recovery listener's URL, when it was started. */
  recoveryUrl: string | undefined
  config: ServerConfig
  /** Stops accepting, finishes in-flight requests, flushes writes and closes storage. */
  close(): Promise<void>
}

/** What a caller may swap: the clock (tests) and where log lines go. */
export interface ServerDeps {
  clock?: Clock
  logDestination?: DestinationStream
  /** How often discovery of an unreachable identity provider is retried (default 5 s). */
  oauthRetryMs?: number
  /** How often a running Flight stream checks again that its principal may read (2 s). */
  flightRecheckMs?: number
}

const retentionIntervalMs = 30_000

// Bodies below this many characters are parsed on the request thread: a few hundred lines parse
// faster than they travel to a parser thread and back.
const inlineParseBelow = 64 * 1024

/** Validates the configuration, builds the services and starts listening. */
export async function startServer(
  input: ServerConfigInput,
  deps: ServerDeps = {},
): Promise<RunningServer> {
  const config = resolveServerConfig({ nodeId: 'fluxgate', ...input })
  const clock = deps.clock ?? systemClock
  const log = createLogger(config, deps.logDestination)

  const store = openCatalogStore(config)
  const databases = openDatabases(store, config, clock)
  const tokens = new TokenRegistry(store, clock)
  loadOfflineTokens(config, tokens, databases, log)
  const parser = new LineParserPool({
    threads: LineParserPool.defaultThreads(),
    inlineBelow: inlineParseBelow,
  })
  const users = new UserDirectory(store.users())
  const audit = new AuditTrail(store.audit(), clock, (work) => store.transaction(work))
  const signIn = await startSignIn(
    { config, store, users, audit, clock, clusterId: databases.catalog.clusterId },
    { clock, log, retryMs: deps.oauthRetryMs },
  )
  const sessions = signIn?.sessions
  const oauth = signIn?.oauth
  const provider =
    signIn?.oauth === undefined
      ? undefined
      : providerSignIn(signIn.oauth, signIn.sessions, { users, audit, clock })
  const browserSignIn = provider?.browserSignIn
  const services = { databases, tokens, clock, parser, users, sessions, audit, oauth }
  const context = buildContext({ ...services, browserSignIn }, !config.withoutAuth)
  const lifecycle = { stopping: false }
  const gate = new RequestGate({
    registry: tokens,
    sessions,
    oauth: provider?.authenticator,
    browserOrigin: oauth?.settings.browser?.origin,
    users,
    withoutAuth: config.withoutAuth,
    exemptPaths: config.exemptPaths,
  })
  const server = createServer(
    createPipeline({
      router: new Router(allRoutes),
      context,
      gate,
      log,
      maxRequestSize: config.maxHttpRequestSize,
      clusterId: databases.catalog.clusterId,
      lifecycle,
    }),
  )
  server.keepAliveTimeout = 65_000
  const flight = createFlightServer({ context, gate, log, recheckMs: deps.flightRecheckMs })
  const splitter = splitProtocols(server, (socket) => flight.injectConnection(socket))

  const port = await listen(server, config)
  const retention = startRetentionTimer(databases, sessions, log)
  const recovery =
    config.recoveryBind === undefined
      ? undefined
      : await startRecoveryListener(config.recoveryBind, tokens, log)
  announceAuthState(config, tokens, log)
  log.info(
    { address: `${config.host}:${port}`, nodeId: config.nodeId, objectStore: config.objectStore },
    'fluxgate started',
  )

  return {
    url: `http://${clientHost(config.host)}:${port}`,
    port,
    recoveryUrl:
      recovery === undefined || config.recoveryBind === undefined
        ? undefined
        : `http://${clientHost(config.recoveryBind.host)}:${recovery.port}`,
    config,
    close: once(() => {
      lifecycle.stopping = true
      oauth?.close()
      return shutdown({
        server,
        flight,
        splitter,
        databases,
        parser,
        audit,
        retention,
        log,
        recovery,
      })
    }),
  }
}

function createLogger(config: ServerConfig, destination: DestinationStream | undefined): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { nodeId: config.nodeId },
      redact: {
        paths: [
          'authorization',
          '*.authorization',
          'req.headers.authorization',
          'token',
          '*.token',
          'password',
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination(1),
  )
}

function openCatalogStore(config: ServerConfig): CatalogStore {
  const memory = config.objectStore === 'memory'
  return openSqliteCatalogStore(memory ? ':memory:' : join(config.dataDir, 'catalog.sqlite'))
}

function openDatabases(store: CatalogStore, config: ServerConfig, clock: Clock): DatabaseService {
  const memory = config.objectStore === 'memory'
  const engine = createStorageEngine(
    memory ? { mode: 'memory' } : { mode: 'file', dir: join(config.dataDir, 'databases') },
  )

  return new DatabaseService(new Catalog(store, config.limits, clock), engine, clock)
}

/** The system tables of `_internal`, built from the server's state at query time. */
function internalSystemTables(
  { databases, tokens, audit }: Services,
  withHash: boolean,
): SystemTable[] {
  const all = databases.catalog.listDatabases({ includeDeleted: true })
  const names = new Map(all.map((db) => [db.id, db.name]))
  const nameOf = (id: number) => names.get(id)
  return [tokensSystemTable(tokens, nameOf, { withHash }), auditSystemTable(audit)]
}

function loadOfflineTokens(
  config: ServerConfig,
  tokens: TokenRegistry,
  databases: DatabaseService,
  log: Logger,
): void {
  if (config.withoutAuth) return
  if (config.adminTokenFile !== undefined) loadAdminTokenFile(config.adminTokenFile, tokens, log)
  if (config.permissionTokensFile !== undefined) {
    loadPermissionTokensFile(config.permissionTokensFile, tokens, databases, log)
  }
}

/** Tells the operator at start how to get in, or that nothing guards the server. */
function announceAuthState(config: ServerConfig, tokens: TokenRegistry, log: Logger): void {
  if (config.withoutAuth) {
    log.warn('authentication is off (--without-auth): every request has full access')
  } else if (tokens.findByName(operatorTokenName) === undefined) {
    log.info(
      'no operator token yet: create it on this machine with `influxdb3 create token --admin`',
    )
  }
}

/** The long-lived services the routes share. */
interface Services {
  databases: DatabaseService
  tokens: TokenRegistry
  clock: Clock
  parser: LineParserPool
  users: UserDirectory
  sessions: SessionManager | undefined
  audit: AuditTrail
  oauth: ProviderClient | undefined
}

/** What sign-in needs; the signing key is loaded and proven before the server listens. */
interface SessionSetup {
  config: ServerConfig
  store: CatalogStore
  users: UserDirectory
  audit: AuditTrail
  clock: Clock
  clusterId: string
}

/** Sessions, and the identity provider when OAuth sign-in is on. */
interface SignIn {
  sessions: SessionManager
  oauth: ProviderClient | undefined
}

/** How the provider client reaches the provider, and how often it retries discovery. */
interface OauthDeps {
  clock: Clock
  log: Logger
  retryMs: number | undefined
}

/** Sign-in, when any is on: the signing key loads while the provider is discovered. */
async function startSignIn(setup: SessionSetup, deps: OauthDeps): Promise<SignIn | undefined> {
  const { withoutAuth, userAuth } = setup.config
  // Sessions also hold browser sign-ins through the provider, so OAuth alone needs them too.
  if (withoutAuth || (!userAuth.basic && userAuth.oauth === undefined)) return undefined

  const starting = userAuth.oauth === undefined ? undefined : startOauth(userAuth.oauth, deps)
  try {
    return { sessions: await startSessions(setup), oauth: await starting }
  } catch (error) {
    // A server that fails to start must not leave discovery retrying in the background.
    ;(await starting)?.close()
    throw error
  }
}

async function startSessions(setup: SessionSetup): Promise<SessionManager> {
  const { config, clock } = setup
  const userAuth = config.userAuth
  const source =
    config.objectStore === 'memory' && userAuth.signingKey.kind === 'generated'
      ? { kind: 'ephemeral' as const }
      : userAuth.signingKey
  const key = await loadSigningKey(source, userAuth.keyId)
  return new SessionManager({
    users: setup.users,
    store: setup.store.sessions(),
    atomically: (work) => setup.store.transaction(work),
    // One core stays free for the request thread, so that a storm of sign-ins cannot stall it.
    hasher: new PasswordHasher(Math.max(1, availableParallelism() - 1)),
    throttle: new LoginThrottle(clock),
    audit: setup.audit,
    tokens: {
      key,
      issuer: userAuth.issuer,
      audience: setup.clusterId,
      ttlSeconds: userAuth.ttlSeconds,
      clock,
    },
    passwords: userAuth.passwords,
    passwordSignIn: userAuth.basic,
    clock,
  })
}

/**
 * The identity provider. The server starts even when the provider is down: its tokens then get
 * 503 until a background retry of discovery succeeds. Never rejects.
 */
async function startOauth(settings: OauthSettings, deps: OauthDeps): Promise<ProviderClient> {
  const client = new ProviderClient(settings, deps)
  await client.start()
  return client
}

/**
 * Sign-in through the provider: its access tokens, and browser sign-in when `--webui-public-uri`
 * names the browser's address.
 */
function providerSignIn(
  oauth: ProviderClient,
  sessions: SessionManager,
  parts: { users: UserDirectory; audit: AuditTrail; clock: Clock },
): { authenticator: OauthAuthenticator; browserSignIn: BrowserSignIn | undefined } {
  const { users, audit, clock } = parts
  const authenticator = new OauthAuthenticator({
    settings: oauth.settings,
    verifier: new ProviderTokenVerifier(oauth, clock),
    users,
    sessions,
    audit,
    clock,
  })
  const browser = oauth.settings.browser
  const browserSignIn =
    browser === undefined
      ? undefined
      : new BrowserSignIn({ provider: oauth, browser, authenticator, sessions, audit, clock })
  return { authenticator, browserSignIn }
}

function buildContext(
  services: Services & { browserSignIn: BrowserSignIn | undefined },
  withHash: boolean,
): ServerContext {
  const { databases, tokens, clock, parser, users, sessions, audit, oauth } = services
  return {
    databases,
    tokens,
    users,
    sessions,
    oauth,
    browserSignIn: services.browserSignIn,
    audit,
    writes: new WriteService(databases, clock, parser),
    queries: new QueryService(databases, clock, (db) =>
      db.name === INTERNAL_DATABASE ? internalSystemTables(services, withHash) : [],
    ),
    metrics: new HttpMetrics(),
    clock,
    version: { ...fluxgateVersion, processId: uuidv7() },
  }
}

function listen(server: Server, config: ServerConfig): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

// Expired data and expired sign-in sessions are dropped on the same schedule.
function startRetentionTimer(
  databases: DatabaseService,
  sessions: SessionManager | undefined,
  log: Logger,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    databases
      .enforceRetention()
      .catch((error: unknown) => log.error({ err: error }, 'retention failed'))
    try {
      sessions?.purgeExpired()
    } catch (error) {
      log.error({ err: error }, 'purging expired sessions failed')
    }
  }, retentionIntervalMs)
  timer.unref()
  return timer
}

/** What a stopping server has to stop, besides its listener. */
interface Running {
  server: Server
  flight: FlightServer
  splitter: ProtocolSplitter
  databases: DatabaseService
  parser: LineParserPool
  audit: AuditTrail
  retention: NodeJS.Timeout
  log: Logger
  recovery: RecoveryListener | undefined
}

async function shutdown(running: Running) {
  const { server, databases, parser, audit, retention, log, recovery } = running
  clearInterval(retention)
  await recovery?.close()
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  // gRPC connections count among the listener's own: they must end for `close` to finish.
  running.splitter.close()
  await running.flight.close()
  await closed

  await parser.close()
  audit.flush()
  await databases.close()
  log.info('fluxgate stopped')
  log.flush()
}

function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined
  return () => (running ??= fn())
}
