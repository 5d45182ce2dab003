export { startServer } from './start-server.js'
export { resolveServerConfig, parseSize } from './server-config.js'
export type { RunningServer, ServerDeps } from './start-server.js'
export type { ServerConfig, ServerConfigInput } from './server-config.js'
