import { parentPort } from 'node:worker_threads'

import { packLineBatch, transferablesOf } from '../line-batch-codec.js'
import { parseLineBatch } from '../line-batch-parser.js'
import type { ParseReply, ParseRequest } from './parse-messages.js'

// A thread of the line parser pool: parses each text it is sent and answers with the batch,
// packed so that its buffers move back instead of being copied.
parentPort?.on('message', ({ id, text }: ParseRequest) => {
  parentPort?.postMessage(...reply(id, text))
})

function reply(id: number, text: string): [ParseReply, ArrayBuffer[]] {
  try {
    const packed = packLineBatch(parseLineBatch(text))
    return [{ id, kind: 'packed', packed }, transferablesOf(packed)]
  } catch (error) {
    return [
      { id, kind: 'failed', message: error instanceof Error ? error.message : String(error) },
      [],
    ]
  }
}
