import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { FluxgateError } from '../../errors/index.js'

/** Where one database keeps its files. */
export interface DatabasePaths {
  /** The DuckDB file, or `:memory:`. */
  databaseFile: string
  /** The only folder a query may read or write: Parquet exports go here. */
  scratchDir: string
  /** Where DuckDB spills intermediate results that do not fit in memory. */
  spillDir: string
  /** The folder owning everything above; removed when the database is destroyed. */
  rootDir: string
}

/** Where the engine keeps its databases. */
export type StorageLocation = { mode: 'file'; dir: string } | { mode: 'memory' }

const safeKey = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/

/** Refuses keys that could leave the storage folder once used as a folder name. */
export function checkStorageKey(key: string): void {
  if (!safeKey.test(key)) {
    throw new FluxgateError('ERR_INTERNAL', `invalid storage key ${JSON.stringify(key)}`)
  }
}

/** Creates (when missing) the folders of the database stored under `key`. */
export async function prepareDatabasePaths(
  location: StorageLocation,
  key: string,
): Promise<DatabasePaths> {
  const rootDir =
    location.mode === 'file'
      ? join(location.dir, key)
      : await mkdtemp(join(tmpdir(), `fluxgate-${key}-`))
  const paths = {
    databaseFile: location.mode === 'file' ? join(rootDir, 'data.duckdb') : ':memory:',
    scratchDir: join(rootDir, 'scratch'),
    spillDir: join(rootDir, 'spill'),
    rootDir,
  }

  await mkdir(paths.scratchDir, { recursive: true })
  await mkdir(paths.spillDir, { recursive: true })

  return paths
}

/** Removes the files of the database stored under `key`; nothing happens when there are none. */
export async function removeDatabaseFiles(location: StorageLocation, key: string): Promise<void> {
  if (location.mode === 'memory') return

  await rm(join(location.dir, key), { recursive: true, force: true })
}
