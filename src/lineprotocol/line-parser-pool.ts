import { availableParallelism } from 'node:os'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

import { FluxgateError } from '../errors/index.js'
import type { ParseReply, ParseRequest } from './internal/parse-messages.js'
import { unpackLineBatch } from './line-batch-codec.js'
import { parseLineBatch } from './line-batch-parser.js'
import type { LineBatch } from './types.js'

/** How a pool parses. */
export interface LineParserPoolOptions {
  /** Parser threads; 0 parses every text on the calling thread. */
  threads: number
  /** Texts shorter than this many characters are parsed on the calling thread. */
  inlineBelow: number
}

interface Pending {
  text: string
  resolve: (batch: LineBatch) => void
  reject: (error: unknown) => void
}

interface ParserThread {
  worker: Worker
  pending: Map<number, Pending>
}

// The worker runs from the same kind of file as this module: compiled JavaScript, or TypeScript
// under a loader that the worker inherits with the process's options.
const workerFile = new URL(
  `./internal/parse-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
)

// A batch is young garbage once parsed; a larger young generation lets it die there instead
// of being copied into the old one.
const youngGenerationMb = 64

/**
 * Parses line protocol on threads of its own, so that the thread serving requests spends its
 * time on validation and storage while another core parses the next batch. The result is the
 * batch `parseLineBatch` gives, packed for the way back. Small texts are parsed where they are,
 * since handing them over would cost more than it saves.
 */
export class LineParserPool {
  private readonly options: LineParserPoolOptions
  private readonly threads: Array<ParserThread | undefined>
  private nextId = 0
  private closed = false

  constructor(options: LineParserPoolOptions) {
    this.options = options
    this.threads = new Array<ParserThread | undefined>(options.threads).fill(undefined)
  }

  /** As many threads as there are other cores, at most four. */
  static defaultThreads(): number {
    return Math.max(0, Math.min(4, availableParallelism() - 1))
  }

  parse(text: string): Promise<LineBatch> {
    if (this.closed || this.threads.length === 0 || text.length < this.options.inlineBelow) {
      return Promise.resolve(parseLineBatch(text))
    }

    const thread = this.leastBusy()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { text, resolve, reject })
      thread.worker.postMessage({ id, text } satisfies ParseRequest)
    })
  }

  /** Stops the threads; texts they were still parsing are parsed on the calling thread. */
  async close(): Promise<void> {
    this.closed = true
    const threads = this.threads.filter((thread) => thread !== undefined)
    this.threads.fill(undefined)
    await Promise.all(threads.map((thread) => this.stop(thread)))
  }

  private leastBusy(): ParserThread {
    let chosen = 0
    let fewest = Number.POSITIVE_INFINITY
    for (let slot = 0; slot < this.threads.length; slot++) {
      const load = this.threads[slot]?.pending.size ?? 0
      if (load < fewest) [chosen, fewest] = [slot, load]
    }

    return this.threads[chosen] ?? this.start(chosen)
  }

  private start(slot: number): ParserThread {
    const worker = new Worker(workerFile, {
      resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb },
    })
    const thread: ParserThread = { worker, pending: new Map() }
    // An idle parser thread must not keep the process alive.
    worker.unref()
    worker.on('message', (reply: ParseReply) => settle(thread, reply))
    worker.on('error', () => this.lose(slot, thread))
    worker.on('exit', () => this.lose(slot, thread))
    this.threads[slot] = thread

    return thread
  }

  // A thread that died takes no more texts, and a new one starts when one is next needed; what
  // it held is parsed here, so that no write fails for it.
  private lose(slot: number, thread: ParserThread): void {
    if (this.threads[slot] === thread) this.threads[slot] = undefined
    parseHere(thread)
  }

  private async stop(thread: ParserThread): Promise<void> {
    thread.worker.removeAllListeners()
    await thread.worker.terminate()
    parseHere(thread)
  }
}

function settle(thread: ParserThread, reply: ParseReply): void {
  const pending = thread.pending.get(reply.id)
  if (pending === undefined) return

  thread.pending.delete(reply.id)
  if (reply.kind === 'packed') pending.resolve(unpackLineBatch(reply.packed, pending.text))
  else pending.reject(new FluxgateError('ERR_INTERNAL', `line parser failed: ${reply.message}`))
}

function parseHere(thread: ParserThread): void {
  const pending = [...thread.pending.values()]
  thread.pending.clear()
  for (const waiting of pending) waiting.resolve(parseLineBatch(waiting.text))
}
