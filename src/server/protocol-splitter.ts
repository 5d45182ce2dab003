import type { Server } from 'node:http'
import type { Socket } from 'node:net'

/** Takes over a connection whose first bytes are already read back into it. */
export type ConnectionHandler = (socket: Socket) => void

/** The split between HTTP/1.1 and HTTP/2 on one listener. */
export interface ProtocolSplitter {
  /** Ends the connections that have not sent enough bytes yet to tell (the server stops). */
  close(): void
}

/** Every HTTP/2 connection, hence every gRPC call, opens with these 24 bytes (RFC 9113 §3.4). */
const http2Preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')

/**
 * Makes `server` read the first bytes of each connection before it parses HTTP/1.1: a
 * connection that opens with the HTTP/2 preface goes to `http2` (gRPC), any other one to the
 * HTTP server as if it had just arrived. The HTTP server keeps listening, counting connections
 * for `close()` and applying its own timeouts and keep-alive; only its connection listener moves
 * behind the split. A connection that sends too little for `server.headersTimeout` is closed,
 * as one that sends no headers would be.
 */
export function splitProtocols(server: Server, http2: ConnectionHandler): ProtocolSplitter {
  // The listener `node:http` installed is the documented entry for connections from elsewhere.
  const http1 = server.listeners('connection') as ConnectionHandler[]
  server.removeAllListeners('connection')
  const deciding = new Set<Socket>()
  const toHttp1: ConnectionHandler = (socket) => {
    for (const listener of http1) listener.call(server, socket)
  }

  server.on('connection', (socket: Socket) => {
    deciding.add(socket)
    sniff(socket, { http1: toHttp1, http2 }, server.headersTimeout, () => deciding.delete(socket))
  })
  return {
    close() {
      for (const socket of deciding) socket.destroy()
    },
  }
}

/** Where each protocol goes, and what to do once the connection is no longer undecided. */
interface Routes {
  http1: ConnectionHandler
  http2: ConnectionHandler
}

function sniff(socket: Socket, routes: Routes, timeoutMs: number, decided: () => void): void {
  let head = Buffer.alloc(0)
  const timer = setTimeout(() => socket.destroy(), timeoutMs)
  timer.unref()

  const stopSniffing = () => {
    clearTimeout(timer)
    socket.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose)
    decided()
  }
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk])
    const protocol = protocolOf(head)
    if (protocol === undefined) return

    stopSniffing()
    // Paused, the bytes wait in the socket's buffer for the new owner: node:http2 takes them
    // from there when it attaches (it drops them if they flow past as 'data' instead). The
    // resume comes before any further read from the network, so nothing overtakes them.
    socket.pause()
    socket.unshift(head)
    routes[protocol](socket)
    process.nextTick(() => socket.resume())
  }
  // A client gone before it said enough: nothing to serve, and nothing may throw.
  const onEnd = () => socket.destroy()
  const onError = () => socket.destroy()
  const onClose = () => stopSniffing()

  socket.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose)
}

/** `http2` on the full preface, `http1` as soon as a byte differs, undefined while unsure. */
export function protocolOf(head: Uint8Array): keyof Routes | undefined {
  const compared = Math.min(head.byteLength, http2Preface.byteLength)
  if (Buffer.compare(head.subarray(0, compared), http2Preface.subarray(0, compared)) !== 0) {
    return 'http1'
  }
  return head.byteLength >= http2Preface.byteLength ? 'http2' : undefined
}
