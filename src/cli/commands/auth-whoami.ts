import { Command } from 'commander'

import { printLine } from '../cli-io.js'
import type { CliIo } from '../cli-io.js'
import { connect, withServerOptions } from '../server-options.js'
import type { ServerOptions } from '../server-options.js'

/** What `GET /api/v3/authorize/whoami` answers, as far as this command reads it. */
interface Whoami {
  readonly userId: number
  readonly username?: string
  readonly oauthId?: string
  readonly roleIds: readonly number[]
}

/** `influxdb3 auth whoami`: the signed-in user, from `GET /api/v3/authorize/whoami`. */
export function authWhoamiCommand(io: CliIo): Command {
  const command = new Command('whoami').description('Show the signed-in user')
  withServerOptions(command)

  return command.action(async (options: ServerOptions) => {
    const response = await connect(options, io).send({
      method: 'GET',
      path: '/api/v3/authorize/whoami',
    })
    const me = await readWhoami(response)

    printLine(io, `username: ${me.username ?? '(none)'}`)
    if (me.oauthId !== undefined) printLine(io, `oauth id: ${me.oauthId}`)
    printLine(io, `user id: ${me.userId}`)
    printLine(io, `role ids: ${me.roleIds.join(', ')}`)
  })
}

async function readWhoami(response: Response): Promise<Whoami> {
  const body: unknown = await response.json().catch(() => undefined)
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  if (typeof fields.userId !== 'number' || !Array.isArray(fields.roleIds)) {
    throw new Error('the server answered without a user')
  }
  return {
    userId: fields.userId,
    username: typeof fields.username === 'string' ? fields.username : undefined,
    oauthId: typeof fields.oauthId === 'string' ? fields.oauthId : undefined,
    roleIds: fields.roleIds.filter((id): id is number => typeof id === 'number'),
  }
}
