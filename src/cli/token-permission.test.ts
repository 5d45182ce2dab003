import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { collectPermission, parsePermission } from './token-permission.js'

describe('parsePermission', () => {
  it('converts database permissions to the structured body', () => {
    assert.deepEqual(parsePermission('db:a,b:read,write'), {
      resource_type: 'db',
      resource_names: ['a', 'b'],
      actions: ['read', 'write'],
    })
    assert.deepEqual(parsePermission('db:*:read'), {
      resource_type: 'db',
      resource_names: ['*'],
      actions: ['read'],
    })
  })

  it('converts system permissions', () => {
    assert.deepEqual(parsePermission('system:*:read'), {
      resource_type: 'system',
      resource_names: ['*'],
      actions: ['read'],
    })
    assert.deepEqual(parsePermission('system:health,ping:read').resource_names, ['health', 'ping'])
  })

  it('explains each malformed permission', () => {
    const cases: [string, RegExp][] = [
      ['db:a', /expected RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS/],
      ['db:a:read:x', /expected RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS/],
      ['table:a:read', /unknown resource type "table": expected db or system/],
      ['*:*:*', /use --admin --name/],
      ['db::read', /empty resource name/],
      ['db:a,:read', /empty resource name/],
      ['db:a:', /empty action/],
      ['db:*,a:read', /mixed wildcard \(\*\) and resource name/],
      ['db:a:admin', /unknown database action "admin"/],
      ['system:disk:read', /unknown system resource "disk"/],
      ['system:*:write', /system permissions only take the read action/],
    ]
    for (const [text, message] of cases) assert.throws(() => parsePermission(text), message, text)
  })

  it('collects repeated --permission flags in order', () => {
    const first = collectPermission('db:a:write', undefined)
    const both = collectPermission('system:*:read', first)

    assert.deepEqual(
      both.map((p) => p.resource_type),
      ['db', 'system'],
    )
  })
})
