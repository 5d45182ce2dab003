import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { memoryIo } from './memory-io.js'
import { printTable } from './table-output.js'

const columns = ['id', 'name', 'roles']
const rows = [
  { id: 1, name: 'ada', roles: ['Admin'] },
  { id: 12, name: null, roles: ['Auditor', 'Member'] },
]

function printed(format: 'pretty' | 'json' | 'csv', data = rows): string {
  const mem = memoryIo()
  printTable(columns, data, format, mem.io)
  return mem.stdout()
}

describe('printTable', () => {
  it('draws a bordered table, a blank cell for null and lists joined with commas', () => {
    assert.equal(
      printed('pretty'),
      [
        '+----+------+----------------+',
        '| id | name | roles          |',
        '+----+------+----------------+',
        '| 1  | ada  | Admin          |',
        '| 12 |      | Auditor,Member |',
        '+----+------+----------------+',
        '',
      ].join('\n'),
    )
  })

  it('keeps the header of a table without rows', () => {
    assert.match(printed('pretty', []), /^\+-+\+-+\+-+\+\n\| id \| name \| roles \|\n/)
  })

  it('prints JSON with lists and null kept as such', () => {
    assert.deepEqual(JSON.parse(printed('json')), rows)
  })

  it('quotes CSV fields holding commas or quotes', () => {
    const data = [{ id: 1, name: 'say "hi"', roles: ['Auditor', 'Member'] }]

    assert.equal(printed('csv', data), 'id,name,roles\n1,"say ""hi""","Auditor,Member"\n')
  })
})
