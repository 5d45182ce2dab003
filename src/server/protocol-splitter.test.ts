import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'

import { protocolOf, splitProtocols } from './protocol-splitter.js'
import type { ProtocolSplitter } from './protocol-splitter.js'

const preface = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'

/** Sends `chunks` one by one on a new connection and returns all that came back. */
function exchange(port: number, chunks: string[], end = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      void (async () => {
        for (const chunk of chunks) {
          socket.write(chunk)
          await new Promise((r) => setTimeout(r, 10))
        }
        if (end) socket.end()
      })()
    })
    let answer = ''
    socket.on('data', (data: Buffer) => (answer += data.toString('latin1')))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
  })
}

describe('protocolOf', () => {
  it('decides on the first differing byte, or on the whole preface', () => {
    assert.equal(protocolOf(Buffer.from('GET / HTTP/1.1\r\n')), 'http1')
    assert.equal(protocolOf(Buffer.from('PUT / HTTP/1.1\r\n')), 'http1')
    assert.equal(protocolOf(Buffer.from('PRI * HTTP/1.1')), 'http1')
    assert.equal(protocolOf(Buffer.from('PRI * HTTP/2')), undefined)
    assert.equal(protocolOf(Buffer.from(`${preface}\0\0`)), 'http2')
  })
})

describe('splitProtocols', () => {
  let server: Server
  let splitter: ProtocolSplitter
  let port: number
  const http2Sockets: Socket[] = []

  before(async () => {
    server = createServer((req, res) => res.end(`hello ${req.method}`))
    splitter = splitProtocols(server, (socket) => {
      http2Sockets.push(socket)
      socket.once('data', (head: Buffer) => socket.end(`h2:${head.toString('latin1')}`))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('hands HTTP/1.1 to the HTTP server, bytes split anywhere', async () => {
    const answer = await exchange(port, [
      'P',
      'UT / HTTP/1.1\r\nHost: x\r\n',
      'Content-Length: 0\r\n\r\n',
    ])

    assert.match(answer, /^HTTP\/1\.1 200 OK/)
    assert.match(answer, /hello PUT$/)
  })

  it('hands a connection opening with the HTTP/2 preface to the other side, bytes intact', async () => {
    const answer = await exchange(port, ['PRI * HTTP', `/2.0\r\n\r\nSM\r\n\r\nrest`], false)

    assert.equal(answer, `h2:${preface}rest`)
    assert.equal(http2Sockets.length, 1)
  })

  it('survives connections that close or reset before saying enough', async () => {
    assert.equal(await exchange(port, []), '')
    assert.equal(await exchange(port, ['PRI * HT']), '')
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('PRI')
        socket.resetAndDestroy()
        resolve()
      })
    })

    assert.match(await exchange(port, ['GET / HTTP/1.1\r\nHost: x\r\n\r\n']), /hello GET/)
  })

  it('lets the server stop while a connection has sent nothing yet', async () => {
    const silent = connect(port, '127.0.0.1')
    await new Promise((resolve) => silent.once('connect', resolve))
    const closed = new Promise((resolve) => silent.once('close', resolve))
    await new Promise((resolve) => setTimeout(resolve, 20))

    splitter.close()

    await closed
  })
})
