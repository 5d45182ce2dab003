import type { IncomingMessage } from 'node:http'

import type { Principal } from './route.js'

/**
 * Turns a request into the principal it acts for, or throws an authentication error. The
 * pipeline asks it before routing, so handlers never look at credentials.
 */
export interface AuthGate {
  authenticate(req: IncomingMessage, path: string, query: URLSearchParams): Promise<Principal>
}

/** The gate of a server started without authentication: everyone is anonymous. */
export const openGate: AuthGate = {
  authenticate: () => Promise.resolve({ kind: 'anonymous' }),
}
