import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { fieldValueOf, parseLineBatch } from './index.js'
import type { FieldValue, LineBatch } from './index.js'

// The parser reads what a line repeats of the lines before it, in this batch or an earlier
// one, faster than the rest. These lines repeat, nearly repeat or extend one another, and
// must read exactly as if each stood alone.

function parsed(lines: string[]): LineBatch {
  const batch = parseLineBatch(lines.join('\n'))
  assert.deepEqual(batch.errors, [])

  return batch
}

function valuesOf(batch: LineBatch): FieldValue[] {
  return batch.fieldValues.map((_, field) => fieldValueOf(batch, field))
}

function timestampsOf(written: string[]): Array<bigint | undefined> {
  return [...parsed(written.map((timestamp) => `m f=1 ${timestamp}`)).timestamps]
}

function errorFor(lines: string[]): string | undefined {
  return parseLineBatch(lines.join('\n')).errors[0]?.message
}

describe('parseLineBatch: names like those of the line before', () => {
  it('reads a name that extends, escapes or shortens the name in its place before', () => {
    const batch = parsed([
      'cpu,host=a usage=1 1',
      'cpux,hostname=b usage_user=2 1',
      'cpu\\ x,host\\ name=c usage\\ user=3 1',
      'cpu\\,x,host\\,name=d usage\\,user=4 1',
      'cpu,host=e usage=5 1',
      'cp,hos=f usag=6 1',
      'cpu\\\\x,host\\\\x=g usage\\==7 1',
    ])

    assert.deepEqual(batch.measurements, ['cpu', 'cpux', 'cpu x', 'cpu,x', 'cpu', 'cp', 'cpu\\x'])
    assert.deepEqual(batch.tagKeys, [
      'host',
      'hostname',
      'host name',
      'host,name',
      'host',
      'hos',
      'host\\x',
    ])
    assert.deepEqual(batch.fieldKeys, [
      'usage',
      'usage_user',
      'usage user',
      'usage,user',
      'usage',
      'usag',
      'usage=',
    ])
  })

  it('reads a key holding a comma alike whether it is written plain or escaped', () => {
    const batch = parsed(['m,t,u=a f,x=1', 'm,t,u=b f,x=2', 'm,t\\,u=c f\\,x=3', 'm,t,u=d f,x=4'])

    assert.deepEqual(batch.tagKeys, ['t,u', 't,u', 't,u', 't,u'])
    assert.deepEqual(batch.fieldKeys, ['f,x', 'f,x', 'f,x', 'f,x'])
  })

  it('ends a repeated measurement at NUL and a tab as a first reading does', () => {
    assert.equal(
      errorFor(['cpu f=1', 'cpu\0x f=1']),
      'Expected at least one space character, got `\0x f=1`',
    )
    assert.equal(
      errorFor(['cpu f=1', 'cpu\tf=1']),
      'Expected at least one space character, got `\tf=1`',
    )
  })

  it('refuses a repeated name followed by a trailing backslash', () => {
    assert.equal(
      errorFor(['cpu,host=a f=1', 'cpu,host\\']),
      'Measurements, tag keys and values, and field keys may not end with a backslash',
    )
  })

  it('reads the names of a batch alike whatever the batch before held', () => {
    parsed(['cpu,host=a,region=b usage=1,idle=2 1'])
    const batch = parsed(['cpu\\ a,host\\=x=b,regionx=c usage\\ x=1,idlex=2 1'])

    assert.deepEqual(batch.measurements, ['cpu a'])
    assert.deepEqual(batch.tagKeys, ['host=x', 'regionx'])
    assert.deepEqual(batch.fieldKeys, ['usage x', 'idlex'])
  })

  it('reads lines with more or fewer tags and fields than the line before', () => {
    const batch = parsed([
      'm,a=1,b=2,c=3 x=1,y=2,z=3',
      'm x=1',
      'm,a=1 x=1,y=2',
      'm,b=2,a=1 y=2,x=1',
    ])

    assert.deepEqual(batch.tagKeys, ['a', 'b', 'c', 'a', 'b', 'a'])
    assert.deepEqual(batch.tagStarts, [0, 3, 3, 4, 6])
    assert.deepEqual(batch.fieldKeys, ['x', 'y', 'z', 'x', 'x', 'y', 'y', 'x'])
  })

  it('keeps plain, escaped and multi-line lines apart within one batch', () => {
    const batch = parsed([
      'cpu,host=a s="x",n=1i 1',
      'cpu,host\\ a=b s="line\nbreak",n=2i 1',
      'cpu,host=c s="y\\"z",n=3i 1',
      'cpu,host=d s="x",n=4i 1',
    ])

    assert.deepEqual(batch.tagKeys, ['host', 'host a', 'host', 'host'])
    assert.deepEqual(batch.fieldValues, ['x', 1n, 'line\nbreak', 2n, 'y"z', 3n, 'x', 4n])
    assert.deepEqual(batch.lineNumbers, [1, 2, 3, 4])
  })
})

describe('parseLineBatch: numbers read in one pass', () => {
  it('reads each float to the double Number makes of its text', () => {
    const written = [
      '17.5',
      '-3.25',
      '-0',
      '-0.0',
      '0.1',
      '123456789012345',
      '1234567890123456',
      '12345678901234.5',
      '-12345678901234.56',
      '0.12345678901234567',
      '12345678901234567890.5',
      '1.5e3',
      '-1.5E-3',
    ]
    const batch = parsed(written.map((value) => `m f=${value}`))

    assert.deepEqual(
      valuesOf(batch),
      written.map((value) => ({ type: 'float', value: Number(value) })),
    )
  })

  it('reads each integer to the BigInt of its digits', () => {
    const written = [
      '17',
      '-0',
      '123456789012345',
      '-123456789012345',
      '1234567890123456',
      '-99999999999999',
      '9223372036854775807',
      '-9223372036854775808',
    ]
    const batch = parsed(written.map((value) => `m f=${value}i`))

    assert.deepEqual(
      valuesOf(batch),
      written.map((value) => ({ type: 'integer', value: BigInt(value) })),
    )
  })
})

describe('parseLineBatch: timestamps like the one before', () => {
  it('reads each timestamp to the BigInt of its text, repeated or not', () => {
    const written = [
      '1700000000000000000',
      '1700000000000000000',
      '1700000000000000001',
      '1700000001000000000',
      '1700000001000000000',
      '-1700000001000000000',
      '0000000000000000000001',
      '9223372036854775807',
      '-9223372036854775808',
      '9223372035999999999',
      '9223372036000000000',
      '1700000000',
      '1700000000123',
      '123456789012345',
      '1234567890123456',
      '-0',
      '17',
    ]

    assert.deepEqual(timestampsOf(written), written.map(BigInt))
  })

  it('refuses a timestamp beyond 64 bits, even one that starts like the one before', () => {
    const message = (digits: string) => `Unable to parse timestamp value \`${digits}\``

    assert.equal(
      errorFor(['m f=1 9223372036854775807', 'm f=1 9223372036854775808']),
      message('9223372036854775808'),
    )
    assert.equal(
      errorFor(['m f=1 1700000000000000000', 'm f=1 17000000000000000001']),
      message('17000000000000000001'),
    )
    assert.equal(errorFor(['m f=1 -9223372036854775809']), message('-9223372036854775809'))
  })

  it('reads what follows a repeated timestamp as trailing content', () => {
    assert.equal(
      errorFor(['m f=1 1700000000000000000', 'm f=1 1700000000000000000x']),
      'Could not parse entire line. Found trailing content: `x`',
    )
  })
})
