import { InvalidArgumentError } from 'commander'

/** One permission of a resource token, as `POST /api/v3/enterprise/configure/token` takes it. */
export interface PermissionBody {
  readonly resource_type: 'db' | 'system'
  readonly resource_names: readonly string[]
  readonly actions: readonly string[]
}

const databaseActions = ['read', 'write', 'create', 'describe', 'delete']
const systemResources = ['health', 'metrics', 'ping', 'ready']

/**
 * Parses the short form `RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS` of `--permission` into the
 * structured body. Names and actions are comma lists; `*` stands for every name, alone.
 * Whether the databases exist is left to the server.
 * @example
 * parsePermission('db:a,b:read,write')
 * // { resource_type: 'db', resource_names: ['a', 'b'], actions: ['read', 'write'] }
 * parsePermission('system:*:read')
 * @throws InvalidArgumentError naming what is wrong with `text`.
 */
export function parsePermission(text: string): PermissionBody {
  const parts = text.split(':')
  if (parts.length !== 3) {
    throw new InvalidArgumentError('expected RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS, e.g. db:a:read')
  }

  const [type = '', names = '', actions = ''] = parts
  if (type === '*') throw new InvalidArgumentError('for an admin token use --admin --name <NAME>')
  if (type !== 'db' && type !== 'system') {
    throw new InvalidArgumentError(`unknown resource type "${type}": expected db or system`)
  }

  const resourceNames = commaList(names, 'resource name')
  if (resourceNames.includes('*') && resourceNames.length > 1) {
    throw new InvalidArgumentError('mixed wildcard (*) and resource name')
  }
  const granted = [...new Set(commaList(actions, 'action'))]

  return type === 'db'
    ? databasePermission(resourceNames, granted)
    : systemPermission(resourceNames, granted)
}

/**
 * The argument parser of the repeatable `--permission`: adds one parsed permission to those
 * already given.
 */
export function collectPermission(
  text: string,
  previous: readonly PermissionBody[] | undefined,
): PermissionBody[] {
  return [...(previous ?? []), parsePermission(text)]
}

function databasePermission(names: string[], actions: string[]): PermissionBody {
  const unknown = actions.find((action) => !databaseActions.includes(action))
  if (unknown !== undefined) {
    throw new InvalidArgumentError(
      `unknown database action "${unknown}": expected ${databaseActions.join(', ')}`,
    )
  }
  return { resource_type: 'db', resource_names: names, actions }
}

function systemPermission(names: string[], actions: string[]): PermissionBody {
  const unknown = names.find((name) => name !== '*' && !systemResources.includes(name))
  if (unknown !== undefined) {
    throw new InvalidArgumentError(
      `unknown system resource "${unknown}": expected ${systemResources.join(', ')} or *`,
    )
  }
  if (actions.length !== 1 || actions[0] !== 'read') {
    throw new InvalidArgumentError('system permissions only take the read action')
  }
  return { resource_type: 'system', resource_names: names, actions }
}

function commaList(text: string, what: string): string[] {
  const items = text.split(',').map((item) => item.trim())
  if (items.some((item) => item === '')) throw new InvalidArgumentError(`empty ${what}`)

  return items
}
