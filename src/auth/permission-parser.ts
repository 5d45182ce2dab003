import { FluxgateError } from '../errors/index.js'
import type { DatabaseAction, Permission, SystemResource } from './permission.js'
import { databaseActions, systemResources } from './permission.js'

/** A permission as requests and files spell it, before database names are resolved. */
export interface PermissionSpec {
  resourceType: string
  resourceNames: string[]
  actions: string[]
}

/** Resolves a database name to its id; undefined when no such database exists. */
export type DatabaseResolver = (name: string) => number | undefined

/**
 * Parses `RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS` (`db:a,b:read,write`, `system:*:read`, `*:*:*`).
 * Throws ERR_BAD_REQUEST with the reason.
 */
export function parsePermissionText(text: string): PermissionSpec {
  const parts = text.split(':')
  if (parts.length !== 3) {
    throw invalid(`expected RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS, got "${text}"`)
  }

  const [resourceType = '', names = '', actions = ''] = parts
  return { resourceType, resourceNames: names.split(','), actions: actions.split(',') }
}

/** Checks a permission and resolves its database names to ids. Throws ERR_BAD_REQUEST. */
export function resolvePermission(spec: PermissionSpec, resolve: DatabaseResolver): Permission {
  const names = spec.resourceNames.map((n) => n.trim())
  const wildcard = names.includes('*')
  if (wildcard && names.length > 1) throw invalid('mixed wildcard (*) and resource name')
  if (names.length === 0 || names.some((n) => n === '')) throw invalid('empty resource name')

  if (spec.resourceType === '*') return adminOnly(spec, wildcard)
  if (spec.resourceType === 'db') return databasePermission(spec.actions, names, wildcard, resolve)
  if (spec.resourceType === 'system') return systemPermission(spec.actions, names, wildcard)

  throw invalid(`resource type not supported, ${spec.resourceType}`)
}

function adminOnly(spec: PermissionSpec, wildcard: boolean): Permission {
  if (!wildcard || spec.actions.length !== 1 || spec.actions[0] !== '*') {
    throw invalid('the * resource type is only valid as *:*:*')
  }
  return { resourceType: 'admin' }
}

function databasePermission(
  actions: string[],
  names: string[],
  wildcard: boolean,
  resolve: DatabaseResolver,
): Permission {
  const checked = actions.map((action) => {
    if (!(databaseActions as string[]).includes(action)) {
      throw invalid(`action not supported, database action ${action}`)
    }
    return action as DatabaseAction
  })
  if (wildcard) return { resourceType: 'db', databases: '*', actions: checked }

  const ids = names.map((name) => {
    const id = resolve(name)
    if (id === undefined)
      throw invalid(`cannot parse token permission, invalid resource name ${name}`)
    return id
  })
  return { resourceType: 'db', databases: ids, actions: checked }
}

function systemPermission(actions: string[], names: string[], wildcard: boolean): Permission {
  if (actions.length !== 1 || actions[0] !== 'read') {
    throw invalid(`action not supported, system action ${actions.join(',')}`)
  }
  if (wildcard) return { resourceType: 'system', names: '*' }

  for (const name of names) {
    if (!(systemResources as string[]).includes(name)) {
      throw invalid(`cannot parse token permission, invalid system resource ${name}`)
    }
  }
  return { resourceType: 'system', names: names as SystemResource[] }
}

function invalid(reason: string): FluxgateError {
  return new FluxgateError('ERR_BAD_REQUEST', reason)
}
