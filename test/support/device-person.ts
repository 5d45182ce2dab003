import type { MemoryIo } from '../../src/cli/memory-io.js'
import { decideDeviceSignIn } from './oidc-provider.js'
import type { DeviceDecision } from './oidc-provider.js'

/**
 * The verification address and user code the command showed on stderr; gives up once `ended`
 * says the command has finished without showing them.
 */
async function promptOf(mem: MemoryIo, ended: () => boolean) {
  const shown = /open (\S+) and enter the code (\S+)/
  for (let tries = 0; tries < 500; tries++) {
    const match = shown.exec(mem.stderr())
    if (match?.[1] !== undefined && match[2] !== undefined) {
      return { uri: match[1], userCode: match[2] }
    }
    if (ended()) break
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`no verification prompt on stderr: ${mem.stderr()}`)
}

/** Runs `login` (a device sign-in printing to `mem`) while a person answers its prompt at the provider with `decision`. */
export async function withPerson<T>(mem: MemoryIo, decision: DeviceDecision, login: Promise<T>) {
  let ended = false
  // Attached now, so that a login that fails early is not an unhandled rejection.
  const outcome = login.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  void outcome.finally(() => (ended = true))
  const prompt = await promptOf(mem, () => ended)
  const page = await decideDeviceSignIn(prompt.uri, prompt.userCode, decision)
  return { page, outcome: await outcome }
}
