import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** A session saved by `influxdb3 auth login` for one server; `authType` tells which kind. */
export type StoredSession = StoredPasswordSession | StoredOAuthSession

/** What every stored session holds. */
export interface StoredTokens {
  readonly accessToken: string
  readonly refreshToken: string
  /** When the access token expires, in epoch seconds. */
  readonly expiresAt: number
}

/** Signed in with a username and password; refreshed by the server itself. */
export interface StoredPasswordSession extends StoredTokens {
  readonly authType: 'basic'
  readonly userId: number
  readonly username: string
}

/**
 * Signed in through an OAuth provider with the device flow; refreshed at the provider's token
 * endpoint, which is kept here with the issuer and client so that no discovery is needed.
 */
export interface StoredOAuthSession extends StoredTokens {
  readonly authType: 'oauth'
  readonly issuer: string
  readonly clientId: string
  readonly tokenEndpoint: string
  /** The API audience, asked for again as `resource` on refresh (RFC 8707). */
  readonly audience: string
  /** The provider's `sub` for the account, for messages; absent without an ID token. */
  readonly subject?: string
}

interface CredentialsFile {
  servers: Record<string, StoredSession>
}

/**
 * The sessions of the command line, one per server URL, in `~/.influxdb3/credentials.json`.
 * The directory is private to the user (0700) and the file readable by the user only (0600).
 * Every change replaces the whole file with a rename, so a reader never sees half of it.
 */
export class CredentialsStore {
  readonly #dir: string
  readonly #file: string

  /** @param home the user's home directory; `os.homedir()`, which honours `HOME`, by default. */
  constructor(home: string = homedir()) {
    this.#dir = join(home, '.influxdb3')
    this.#file = join(this.#dir, 'credentials.json')
  }

  /** Where the sessions are kept. */
  get path(): string {
    return this.#file
  }

  /** The session saved for `host`, if any. A missing file holds no session. */
  async load(host: string): Promise<StoredSession | undefined> {
    const file = await this.#read()
    return Object.hasOwn(file.servers, host) ? file.servers[host] : undefined
  }

  /** Saves `session` for `host`, replacing the one saved before. */
  async save(host: string, session: StoredSession): Promise<void> {
    const file = await this.#read()
    file.servers[host] = session
    await this.#write(file)
  }

  /** Forgets the session of `host`. Forgetting one that is not there is harmless. */
  async remove(host: string): Promise<void> {
    const file = await this.#read()
    if (!Object.hasOwn(file.servers, host)) return

    delete file.servers[host]
    await this.#write(file)
  }

  async #read(): Promise<CredentialsFile> {
    const text = await readFile(this.#file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      throw error
    })
    if (text === undefined) return { servers: {} }

    return parseCredentials(text, this.#file)
  }

  async #write(file: CredentialsFile): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 })
    // mkdir leaves an existing directory as it was, and its mode is filtered by the umask.
    await chmod(this.#dir, 0o700)

    const temp = join(this.#dir, `.credentials.${randomBytes(6).toString('hex')}.tmp`)
    try {
      await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
      await rename(temp, this.#file)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
  }
}

function parseCredentials(text: string, path: string): CredentialsFile {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error(`${path} is not valid JSON: fix or delete it, then sign in again`)
  }
  const servers: unknown = (parsed as { servers?: unknown } | null)?.servers
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    return { servers: {} }
  }
  return { servers: { ...(servers as Record<string, StoredSession>) } }
}
