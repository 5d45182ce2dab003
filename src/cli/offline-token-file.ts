import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'

/** The admin token file that `serve --admin-token-file` loads at startup. */
export interface AdminTokenFile {
  readonly token: string
  readonly name: string
  /** Milliseconds since the epoch; absent for a token that never expires. */
  readonly expiry_millis?: number
}

/**
 * Writes `file` to `path` as JSON, readable by its owner only (mode 0600). The content goes to
 * a new file beside the target first and is renamed over it, so `path` either keeps what it had
 * or holds the whole token: never a partial file, and never one others could read.
 * @throws Error naming `path` when it cannot be written.
 */
export async function writeAdminTokenFile(path: string, file: AdminTokenFile): Promise<void> {
  const target = resolve(path)
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeNewFile(temp, `${JSON.stringify(file, null, 2)}\n`)
    await rename(temp, target)
  } catch (error) {
    await rm(temp, { force: true })
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`cannot write the token file ${path}: ${reason}`, { cause: error })
  }
}

/** Creates `path`, which must not exist, with mode 0600, and flushes `text` to disk. */
async function writeNewFile(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600)
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
}
