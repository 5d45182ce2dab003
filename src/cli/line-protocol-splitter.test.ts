import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { splitLineProtocol } from './line-protocol-splitter.js'
import type { LineProtocolBatch } from './line-protocol-splitter.js'

async function split(input: string | string[], maxBytes: number): Promise<LineProtocolBatch[]> {
  const batches: LineProtocolBatch[] = []
  for await (const batch of splitLineProtocol(Array.isArray(input) ? input : [input], maxBytes)) {
    batches.push(batch)
  }
  return batches
}

function texts(batches: LineProtocolBatch[]): string[] {
  return batches.map((batch) => batch.bytes.toString('utf8'))
}

describe('splitLineProtocol', () => {
  it('keeps input that fits in one batch whole', async () => {
    const batches = await split('cpu v=1 1\ncpu v=2 2\n', 100)

    assert.deepEqual(texts(batches), ['cpu v=1 1\ncpu v=2 2\n'])
    assert.equal(batches[0]?.lines, 2)
  })

  it('cuts only after a newline and never past the limit', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `cpu,host=h${i} v=${i} ${i}\n`)
    const batches = await split(lines.join(''), 64)

    assert.ok(batches.length > 1)
    for (const batch of batches) {
      assert.ok(batch.bytes.length <= 64, `batch of ${batch.bytes.length} bytes`)
      assert.ok(batch.bytes.toString().endsWith('\n'))
    }
    assert.equal(texts(batches).join(''), lines.join(''))
    assert.equal(
      batches.reduce((sum, batch) => sum + batch.lines, 0),
      50,
    )
  })

  it('cuts the same way whatever the read sizes of the source', async () => {
    const input = 'a v=1\nbb v=2\nccc v="x\ny"\ndddd v=4\n# note\neeeee v=5'
    const whole = await split(input, 16)
    const byteByByte = await split([...input], 16)

    assert.deepEqual(texts(byteByByte), texts(whole))
    assert.deepEqual(
      byteByByte.map((batch) => batch.lines),
      whole.map((batch) => batch.lines),
    )
  })

  it('does not cut inside a quoted string field that holds a newline', async () => {
    const input = 'log msg="first\nsecond" 1\nlog msg="third" 2\n'
    const batches = await split(input, 30)

    assert.deepEqual(texts(batches), ['log msg="first\nsecond" 1\n', 'log msg="third" 2\n'])
  })

  it('does not cut after a newline escaped with a backslash', async () => {
    const input = 'cpu,host=a\\\nb v=1\ncpu v=2\n'
    const batches = await split(input, 16)

    assert.deepEqual(texts(batches), ['cpu,host=a\\\nb v=1\n', 'cpu v=2\n'])
  })

  it('treats quotes in the series key and after an escaped quote as plain text', async () => {
    const input = 'm,t="a v=1\nm s="a\\"b" 1\nm v=3\n'
    const batches = await split(input, 14)

    assert.deepEqual(texts(batches), ['m,t="a v=1\n', 'm s="a\\"b" 1\n', 'm v=3\n'])
  })

  it('opens no string at a quote in a tag value or field key', async () => {
    const input = 'm,t=a"b f=1 1\nm f"k=2 2\nm v=3\n'
    const batches = await split(input, 14)

    assert.deepEqual(texts(batches), ['m,t=a"b f=1 1\n', 'm f"k=2 2\n', 'm v=3\n'])
  })

  it('follows strings across several fields of a line', async () => {
    const input = 'm s="x",t="y\nz" 1\nm v=2\n'
    const batches = await split(input, 20)

    assert.deepEqual(texts(batches), ['m s="x",t="y\nz" 1\n', 'm v=2\n'])
  })

  it('sends a line longer than the limit in a batch of its own', async () => {
    const long = `big s="${'x'.repeat(100)}"\n`
    const batches = await split(`a v=1\n${long}b v=2\n`, 32)

    assert.deepEqual(texts(batches), ['a v=1\n', long, 'b v=2\n'])
  })

  it('keeps a last line that has no newline', async () => {
    const batches = await split('a v=1\nb v=2', 8)

    assert.deepEqual(texts(batches), ['a v=1\n', 'b v=2'])
    assert.deepEqual(
      batches.map((batch) => batch.lines),
      [1, 1],
    )
  })

  it('does not count blank and comment lines, as the server does not', async () => {
    const batches = await split('# header "quoted\n\n  \ncpu v=1\n   # indented comment\n', 1000)

    assert.equal(batches[0]?.lines, 1)
  })

  it('yields nothing for empty input', async () => {
    assert.deepEqual(await split('', 10), [])
  })
})
