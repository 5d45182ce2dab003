/** A request's worth of line protocol, cut on a line boundary. */
export interface LineProtocolBatch {
  readonly bytes: Buffer
  /** Lines the server will parse; blank and comment lines do not count. */
  readonly lines: number
}

/**
 * Cuts a stream of line protocol into batches of at most `maxBytes` bytes, each ending on a line
 * boundary, reading the source only as far as the next batch needs. A newline inside a quoted
 * string field or after a backslash does not end a line. A single line longer than `maxBytes`
 * becomes a batch of its own, so the server can answer it.
 *
 * @example
 * for await (const batch of splitLineProtocol(createReadStream(file), 10 * 1024 * 1024)) {
 *   await send(batch.bytes)
 * }
 */
export async function* splitLineProtocol(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  maxBytes: number,
): AsyncGenerator<LineProtocolBatch> {
  const scanner = new LineScanner()
  const pending = new ByteQueue()
  let cut = 0
  let cutLines = 0

  for await (const piece of source) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece
    let base = pending.length
    pending.push(chunk)

    for (const line of scanner.scan(chunk)) {
      if (base + line.end > maxBytes && cut > 0) {
        yield { bytes: pending.take(cut), lines: cutLines }
        base -= cut
        cut = 0
        cutLines = 0
      }
      cut = base + line.end
      cutLines += line.data ? 1 : 0
    }
  }

  yield* finalBatches(pending, { cut, cutLines, maxBytes, tailHasData: scanner.hasData })
}

interface Remainder {
  readonly cut: number
  readonly cutLines: number
  readonly maxBytes: number
  readonly tailHasData: boolean
}

function* finalBatches(pending: ByteQueue, rest: Remainder): Generator<LineProtocolBatch> {
  const tailLines = rest.tailHasData ? 1 : 0
  if (pending.length === 0) return

  if (pending.length > rest.maxBytes && rest.cut > 0 && rest.cut < pending.length) {
    yield { bytes: pending.take(rest.cut), lines: rest.cutLines }
    yield { bytes: pending.take(pending.length), lines: tailLines }
    return
  }
  yield { bytes: pending.take(pending.length), lines: rest.cutLines + tailLines }
}

/** Bytes held between reads, joined only when a batch is taken. */
class ByteQueue {
  #pieces: Uint8Array[] = []
  #length = 0

  get length(): number {
    return this.#length
  }

  push(piece: Uint8Array): void {
    this.#pieces.push(piece)
    this.#length += piece.length
  }

  /** Removes and returns the first `count` bytes. */
  take(count: number): Buffer {
    const all = Buffer.concat(this.#pieces, this.#length)
    const rest = all.subarray(count)
    this.#pieces = rest.length > 0 ? [rest] : []
    this.#length = rest.length
    return all.subarray(0, count)
  }
}

interface LineEnd {
  /** Offset just past the newline, within the scanned chunk. */
  readonly end: number
  /** Whether the line held anything besides whitespace or a comment. */
  readonly data: boolean
}

const newline = 0x0a
const space = 0x20
const tab = 0x09
const carriageReturn = 0x0d
const hash = 0x23
const quote = 0x22
const equals = 0x3d
const comma = 0x2c
const backslash = 0x5c

/**
 * Finds line ends in line protocol fed in arbitrary chunks, by the rule the server (and the
 * reference before it) cuts a body with, so that splitting never changes how lines are read: a
 * newline ends a line unless a backslash escapes it or it lies inside a double-quoted string. Only
 * a quote after the line's first space opens or closes a string, and only while more `=` than `,`
 * have been seen outside strings since then. UTF-8 never puts these ASCII bytes inside a
 * multi-byte character, so scanning bytes is safe.
 */
class LineScanner {
  #kind: 'blank' | 'comment' | 'data' = 'blank'
  #inFields = false
  #quoted = false
  #escaped = false
  #equalsSigns = 0
  #commas = 0

  /** Whether the line under way (not yet ended) holds data, not just whitespace or a comment. */
  get hasData(): boolean {
    return this.#kind === 'data'
  }

  scan(chunk: Uint8Array): LineEnd[] {
    const ends: LineEnd[] = []
    for (let offset = 0; offset < chunk.length; offset++) {
      if (!this.#step(chunk[offset] ?? 0)) continue

      ends.push({ end: offset + 1, data: this.hasData })
      this.#startLine()
    }
    return ends
  }

  /** Advances over one byte; true when it ended the line. */
  #step(byte: number): boolean {
    if (this.#escaped) {
      this.#escaped = false
      return false
    }
    if (byte === newline && !this.#quoted) return true

    this.#classify(byte)
    if (byte === backslash) this.#escaped = true
    else if (byte === space) this.#inFields = true
    else if (this.#inFields) this.#stepInFields(byte)
    return false
  }

  #stepInFields(byte: number): void {
    if (byte === quote && this.#equalsSigns > this.#commas) this.#quoted = !this.#quoted
    else if (this.#quoted) return
    else if (byte === equals) this.#equalsSigns += 1
    else if (byte === comma) this.#commas += 1
  }

  /** The server skips blank lines and lines that start with `#`, and does not number them. */
  #classify(byte: number): void {
    if (this.#kind !== 'blank') return
    if (byte === space || byte === tab || byte === carriageReturn) return

    this.#kind = byte === hash ? 'comment' : 'data'
  }

  #startLine(): void {
    this.#kind = 'blank'
    this.#inFields = false
    this.#quoted = false
    this.#equalsSigns = 0
    this.#commas = 0
  }
}
