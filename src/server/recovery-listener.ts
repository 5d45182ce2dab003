import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

import type { Logger } from 'pino'

import type { TokenRegistry } from '../auth/index.js'
import { isFluxgateError } from '../errors/index.js'
import { tokenObject } from '../http/index.js'

const regeneratePath = '/api/v3/configure/token/admin/regenerate'

/** The admin-token recovery listener while it runs. */
export interface RecoveryListener {
  port: number
  close(): Promise<void>
}

/**
 * Serves only `POST /api/v3/configure/token/admin/regenerate`, without a credential, on a
 * loopback address, and closes after the first success. For an operator who lost the operator
 * token and can log in to the server's machine. Every recovery is logged as a warning.
 */
export async function startRecoveryListener(
  bind: { host: string; port: number },
  tokens: TokenRegistry,
  log: Logger,
): Promise<RecoveryListener> {
  const server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*')
    if (req.method !== 'POST' || req.url?.split('?')[0] !== regeneratePath) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found')
      return
    }

    try {
      const issued = tokens.regenerateOperatorToken(undefined)
      log.warn(
        { tokenId: issued.record.id, remote: req.socket.remoteAddress },
        'operator token recovered',
      )
      res.writeHead(201, { 'content-type': 'application/json' })
      res.end(JSON.stringify(tokenObject(issued)))
      closeAfterAnswer(server, res)
    } catch (error) {
      const missing = isFluxgateError(error, 'ERR_OPERATOR_TOKEN_MISSING')
      res.writeHead(missing ? 404 : 500, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(missing ? 'missing admin token, cannot update' : 'internal error')
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(bind.port, bind.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  log.warn({ address: `${bind.host}:${port}` }, 'admin token recovery listener started')

  return { port, close: () => closeServer(server) }
}

function closeAfterAnswer(server: Server, res: { once(event: 'finish', fn: () => void): unknown }) {
  res.once('finish', () => {
    void closeServer(server)
  })
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve()
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
