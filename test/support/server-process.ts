import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const launcher = fileURLToPath(new URL('../../bin/influxdb3', import.meta.url))

/** A server running as its own process from the built `bin/influxdb3`. */
export interface ServerProcess {
  url: string
  child: ChildProcess
  /** Log lines seen so far on stdout. */
  output: string[]
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>
}

/** Starts `influxdb3 serve` with `args` on a free port and waits until it listens. */
export async function spawnServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [launcher, 'serve', '--http-bind', '127.0.0.1:0', ...args],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const output: string[] = []
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string)

  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line)
      const address = startedAddress(line)
      if (address !== undefined) resolve(address)
    })
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    void exited.then((code) =>
      reject(new Error(`server exited with ${code}: ${output.join('\n')}`)),
    )
  })

  return { url: `http://${address}`, child, output, exited }
}

function startedAddress(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: string; address?: string }
    return entry.msg === 'fluxgate started' ? entry.address : undefined
  } catch {
    return undefined
  }
}

/** What `runCli()` may add to the child: environment variables, and what stdin holds. */
export interface RunCliOptions {
  /** Merged over `process.env`. */
  env?: NodeJS.ProcessEnv
  /** Written to stdin, which is then closed; stdin is empty when absent. */
  stdin?: string
}

/** Runs `influxdb3 <args>` to completion and returns its exit code and output. */
export async function runCli(
  args: string[],
  options: RunCliOptions = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [launcher, ...args], {
    env: options.env === undefined ? process.env : { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  // A child that exits before reading stdin makes the write fail with EPIPE; its exit code says
  // what went wrong.
  child.stdin.on('error', () => undefined)
  child.stdin.end(options.stdin ?? '')
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code: code ?? -1, stdout, stderr }
}

/** Creates the operator token of a fresh server (from loopback, as bootstrap requires). */
export async function createOperatorToken(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v3/configure/token/admin`, { method: 'POST' })
  if (res.status !== 201) throw new Error(`operator token: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}
