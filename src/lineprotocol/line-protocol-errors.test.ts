import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { parseLineProtocol } from './index.js'

function messageFor(line: string): string | undefined {
  const { lines, errors } = parseLineProtocol(line)
  assert.equal(lines.length, 0, `expected ${JSON.stringify(line)} to be refused`)

  return errors[0]?.message
}

function trailing(content: string): string {
  return `Could not parse entire line. Found trailing content: \`${content}\``
}

describe('line errors: missing parts', () => {
  it('refuses a line without fields', () => {
    for (const line of ['foo 1234', 'm  ', 'm =1', 'cpu,host=a val= 123', 'm a=-', 'm a=.5']) {
      assert.equal(messageFor(line), 'No fields were provided', line)
    }
  })

  it('refuses a first field whose string value has no closing quote', () => {
    assert.equal(messageFor('m a="open'), 'No fields were provided')
  })

  it('reads a measurement holding `=` and then finds no fields', () => {
    assert.equal(messageFor('field=1 1234'), 'No fields were provided')
    assert.equal(messageFor('\u001b# /'), 'No fields were provided')
  })

  it('refuses a measurement alone, quoting what stands in place of the space', () => {
    assert.equal(
      messageFor('measurement'),
      'Expected at least one space character, got end of input',
    )
    assert.equal(messageFor('m,t=v'), 'Expected at least one space character, got end of input')
    assert.equal(
      messageFor('m\tvalue=1,other=2'),
      'Expected at least one space character, got `\tvalue=1,other=2`',
    )
  })

  it('refuses a missing or empty measurement', () => {
    for (const line of [',', ',tag1=1,tag2=2 value=1 123', '\0 field=1 1234', '\0,t=1 v=1']) {
      assert.equal(messageFor(line), 'Invalid measurement was provided', JSON.stringify(line))
    }
  })
})

describe('line errors: tag sets', () => {
  it('refuses a comma with no tag key after it', () => {
    assert.equal(messageFor('J,'), 'Expected tag key, got end of input')
    assert.equal(messageFor('testmeasure, bar=1i'), 'Expected tag key, got ` bar=1i`')
    assert.equal(messageFor('m,=v f=1'), 'Expected tag key, got `=v f=1`')
    assert.equal(messageFor('m,a=b, c=d f=1'), 'Expected tag key, got ` c=d f=1`')
    assert.equal(
      messageFor(`testmeasure, ${'b'.repeat(200)}=1i`),
      'Expected tag key, got ` bbbbbbbbb...`',
    )
  })

  it('refuses a tag key without an equals sign, quoting the tag set from its start', () => {
    assert.equal(messageFor('J,#'), 'Tag set malformed: could not find equals sign in `#`')
    assert.equal(
      messageFor(`J,${'a'.repeat(200)}`),
      'Tag set malformed: could not find equals sign in `aaaaaaaaaa...`',
    )
    assert.equal(
      messageFor('m,a=b,c d=1'),
      'Tag set malformed: could not find equals sign in `a=b,c d=1`',
    )
  })

  it('refuses an empty tag value', () => {
    assert.equal(messageFor('0,,='), 'Expected tag value, got end of input')
    assert.equal(messageFor('testmeasure,foo= sed=1i'), 'Expected tag value, got ` sed=1i`')
    assert.equal(
      messageFor('testmeasure,foo\\=\\,baz= bar=1i'),
      'Expected tag value, got ` bar=1i`',
    )
    assert.equal(
      messageFor('testmeasure,foo=,baz= bar=1i'),
      'Expected tag value, got `,baz= bar=...`',
    )
    assert.equal(
      messageFor('metrics,bananas=,platanos=great value=1.000000 1725629157696678000'),
      'Expected tag value, got `,platanos=...`',
    )
    assert.equal(
      messageFor(`testmeasure,foo\\=\\,baz= bar=${'1'.repeat(100)}i`),
      'Expected tag value, got ` bar=11111...`',
    )
  })
})

describe('line errors: trailing content', () => {
  it('quotes what follows a value that stops early', () => {
    assert.equal(messageFor('foo,tag0=value1 asdf=23.1.22,jkl=4'), trailing('.22,jkl=4'))
    assert.equal(messageFor('m0 field=-1u 99'), trailing('u 99'))
    assert.equal(messageFor('m a=1ix'), trailing('x'))
    assert.equal(messageFor('m a=1.5i'), trailing('i'))
  })

  it('quotes from after the comma when the second field is bad', () => {
    assert.equal(messageFor('testmeasure,foo=f bar=1i,baz='), trailing('baz='))
    assert.equal(messageFor('m a=1,b'), trailing('b'))
  })

  it('quotes from the comma itself when a later field is bad', () => {
    assert.equal(messageFor('m a=1,b=2,c='), trailing(',c='))
    assert.equal(messageFor('m a=1,b=2,c=3,'), trailing(','))
  })

  it('quotes the spaces before a timestamp that is no number', () => {
    assert.equal(messageFor('m a=1 abc'), trailing(' abc'))
    assert.equal(messageFor('m a=1 -x'), trailing(' -x'))
  })

  it('quotes what follows the timestamp', () => {
    assert.equal(messageFor('m a=1 123 456'), trailing('456'))
    assert.equal(messageFor('m a=1 123x'), trailing('x'))
    assert.equal(messageFor('m a=1 123\t'), trailing('\t'))
  })

  it('shortens long content to ten characters and `...`', () => {
    assert.equal(
      messageFor(`testmeasure,foo=f bar=1i,ba${'z'.repeat(100)}=`),
      trailing('bazzzzzzzz...'),
    )
    assert.equal(messageFor('m a=1 1 0123456789'), trailing('0123456789'))
    assert.equal(messageFor('m a=1 1 0123456789A'), trailing('0123456789...'))
  })

  it('measures the content in bytes and shortens it by characters', () => {
    assert.equal(messageFor('m a=1 1 ééééé'), trailing('ééééé'))
    assert.equal(messageFor('m a=1 1 éééééé'), trailing('éééééé...'))
    assert.equal(messageFor(`m a=1 1 ${'😀'.repeat(11)}`), trailing(`${'😀'.repeat(10)}...`))
  })
})

describe('line errors: numbers out of range', () => {
  it('refuses an integer outside the signed 64-bit range, quoting all its digits', () => {
    assert.equal(
      messageFor('m a=9223372036854775808i'),
      'Unable to parse integer value `9223372036854775808`',
    )
    assert.equal(
      messageFor('m a=-9223372036854775809i'),
      'Unable to parse integer value `-9223372036854775809`',
    )
    assert.equal(
      messageFor('testmeasure field=66666666666666666666666666666666666666666666668i'),
      'Unable to parse integer value `66666666666666666666666666666666666666666666668`',
    )
  })

  it('refuses an unsigned integer outside the unsigned 64-bit range', () => {
    assert.equal(
      messageFor('m a=18446744073709551616u'),
      'Unable to parse unsigned integer value `18446744073709551616`',
    )
  })

  it('refuses a bad value in a later field as well', () => {
    assert.equal(
      messageFor('m a=1,b=99999999999999999999i'),
      'Unable to parse integer value `99999999999999999999`',
    )
  })

  it('refuses a timestamp outside the signed 64-bit range', () => {
    assert.equal(
      messageFor('m a=1 9223372036854775808'),
      'Unable to parse timestamp value `9223372036854775808`',
    )
    assert.equal(
      messageFor('m a=1 -9223372036854775809'),
      'Unable to parse timestamp value `-9223372036854775809`',
    )
    const huge = `1${'8'.repeat(71)}`
    assert.equal(
      messageFor(`testmeasure field=3.0 ${huge}`),
      `Unable to parse timestamp value \`${huge}\``,
    )
  })
})

describe('line errors: backslashes', () => {
  it('refuses names and tag values that end with a backslash', () => {
    const message = 'Measurements, tag keys and values, and field keys may not end with a backslash'
    for (const line of [
      ':\u0014\\',
      'm\\',
      'm\\\\ a=1',
      'm,t\\',
      'm,t=v\\',
      'm,t=v\\\\ a=1',
      'm a\\',
    ]) {
      assert.equal(messageFor(line), message, JSON.stringify(line))
    }
  })
})
