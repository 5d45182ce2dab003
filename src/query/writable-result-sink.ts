import type { Writable } from 'node:stream'
import { FluxgateError } from '../errors/index.js'
import type { ResultSink } from './result-sink.js'

/**
 * Adapts a Node writable stream, such as an HTTP `ServerResponse`, to a ResultSink. A write
 * waits for `drain` when the stream's buffer is full and rejects with ERR_QUERY_CANCELLED once
 * the stream is closed or destroyed. The caller still ends the stream.
 */
export function writableSink(stream: Writable): ResultSink {
  return {
    async write(text) {
      if (isGone(stream)) throw destinationGone()
      if (stream.write(text)) return

      await drained(stream)
    },
  }
}

function isGone(stream: Writable): boolean {
  return stream.destroyed || stream.writableEnded
}

function drained(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => settle(resolve)
    const onClose = (): void => settle(() => reject(destinationGone()))
    const onError = (error: Error): void => settle(() => reject(destinationGone(error)))

    const settle = (finish: () => void): void => {
      stream.off('drain', onDrain).off('close', onClose).off('error', onError)
      finish()
    }

    stream.on('drain', onDrain).on('close', onClose).on('error', onError)
  })
}

function destinationGone(cause?: unknown): FluxgateError {
  return new FluxgateError('ERR_QUERY_CANCELLED', 'the client closed the connection', { cause })
}
