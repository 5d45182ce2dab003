import type { BufferedReply } from './route.js'

/** An empty answer with `status`. */
export function empty(status: number): BufferedReply {
  return { status }
}

/** A JSON answer. */
export function json(status: number, value: unknown): BufferedReply {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  }
}

/** A plain-text answer. */
export function text(status: number, body: string): BufferedReply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body }
}
