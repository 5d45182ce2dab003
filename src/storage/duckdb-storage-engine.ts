import { rm } from 'node:fs/promises'

import { FluxgateError } from '../errors/index.js'
import { DuckDBDatabaseStorage } from './internal/duckdb-database-storage.js'
import { defaultInstanceResources } from './internal/sandboxed-instance.js'
import type { InstanceResources } from './internal/sandboxed-instance.js'
import {
  checkStorageKey,
  prepareDatabasePaths,
  removeDatabaseFiles,
} from './internal/storage-paths.js'
import type { StorageLocation } from './internal/storage-paths.js'
import type { DatabaseStorage, StorageEngine } from './storage-engine.js'

/** One group commit of one database, as reported to `onCommit`. */
export interface CommitEvent {
  /** The key the database was opened under. */
  key: string
  /** How many `write()` calls shared this commit. */
  writes: number
  rows: number
  durationMs: number
}

/** Observers of the engine; each must return quickly and never throw. */
export interface StorageHooks {
  /** After each successful group commit. */
  onCommit?: (event: CommitEvent) => void
  /** When rows of a `sync: false` write, already acknowledged, fail to commit. */
  onBackgroundError?: (error: unknown, key: string) => void
}

/**
 * Where the engine keeps its databases and who observes it. In `file` mode each database lives
 * in `<dir>/<key>/`; in `memory` mode nothing outlives a database's `close()`.
 */
export type StorageEngineOptions = StorageLocation &
  StorageHooks & {
    /** A group commit stops growing at this many rows; default 100,000. */
    maxRowsPerCommit?: number
    /**
     * Memory each database's DuckDB instance may use for its buffers, in MiB; default 256.
     * Table data past it stays on disk and large intermediate results spill there.
     */
    memoryLimitMiB?: number
    /** Threads each database's DuckDB instance may run a statement on; default the cores, up to 4. */
    threads?: number
  }

const defaultMaxRowsPerCommit = 100_000

/**
 * Creates the storage engine: one sandboxed DuckDB instance per database key.
 *
 * @example
 * const engine = createStorageEngine({ mode: 'file', dir: '/var/lib/fluxgate/data' })
 * const db = await engine.open('0001')
 * await db.ensureColumns('cpu', [{ name: 'host', type: 'tag' }, { name: 'usage', type: 'float' }])
 * await db.write([{ table: 'cpu', tags: { host: 'a' }, fields: { usage: 0.5 }, time: 1n }], {
 *   sync: true,
 * })
 */
export function createStorageEngine(options: StorageEngineOptions): StorageEngine {
  return new DuckDBStorageEngine(options)
}

interface OpenDatabase {
  ready: Promise<DuckDBDatabaseStorage>
}

class DuckDBStorageEngine implements StorageEngine {
  private readonly options: StorageEngineOptions
  private readonly databases = new Map<string, OpenDatabase>()
  private closed = false

  constructor(options: StorageEngineOptions) {
    this.options = options
  }

  async open(key: string): Promise<DatabaseStorage> {
    checkStorageKey(key)
    if (this.closed) throw new FluxgateError('ERR_SHUTTING_DOWN', 'the storage engine is closed')

    const known = this.databases.get(key)
    if (known !== undefined) return await known.ready

    const entry: OpenDatabase = { ready: this.openDatabase(key, () => this.forget(key, entry)) }
    this.databases.set(key, entry)
    try {
      return await entry.ready
    } catch (error) {
      this.forget(key, entry)
      throw error
    }
  }

  async destroy(key: string): Promise<void> {
    checkStorageKey(key)

    const storage = await this.databases.get(key)?.ready.catch(() => undefined)
    await storage?.close()
    await removeDatabaseFiles(this.options, key)
  }

  async close(): Promise<void> {
    this.closed = true

    const entries = [...this.databases.values()]
    const opened = await Promise.allSettled(entries.map((entry) => entry.ready))
    const storages = opened.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    )
    await Promise.all(storages.map((storage) => storage.close()))
  }

  private async openDatabase(key: string, onClosed: () => void): Promise<DuckDBDatabaseStorage> {
    const paths = await prepareDatabasePaths(this.options, key)
    const temporary = this.options.mode === 'memory'
    const { onCommit, onBackgroundError } = this.options

    try {
      return await DuckDBDatabaseStorage.open({
        paths,
        temporary,
        maxRowsPerCommit: this.options.maxRowsPerCommit ?? defaultMaxRowsPerCommit,
        resources: this.resources(),
        onCommit: (report) => onCommit?.({ key, ...report }),
        onBackgroundError: (error) => onBackgroundError?.(error, key),
        onClosed,
      })
    } catch (error) {
      if (temporary) await rm(paths.rootDir, { recursive: true, force: true })
      throw error
    }
  }

  private resources(): InstanceResources {
    const defaults = defaultInstanceResources()
    return {
      memoryLimitMiB: this.options.memoryLimitMiB ?? defaults.memoryLimitMiB,
      threads: this.options.threads ?? defaults.threads,
    }
  }

  // A key opened again after a close maps to a newer entry, which must stay.
  private forget(key: string, entry: OpenDatabase): void {
    if (this.databases.get(key) === entry) this.databases.delete(key)
  }
}
