import { availableParallelism } from 'node:os'

import { DuckDBInstance } from '@duckdb/node-api'
import type { DuckDBConnection } from '@duckdb/node-api'

import { RAW_SCHEMA, USER_SCHEMA } from '../layout.js'
import { dialectMacros } from './dialect-macros.js'
import { sqlIdentifier, sqlString } from './sql-names.js'
import type { DatabasePaths } from './storage-paths.js'

// Extensions are never fetched or loaded on demand: what a query can call is fixed at build.
// A WAL of up to 64 MB between checkpoints (16 MB by default) cut commit time by about a third
// in the ingest benchmark, at the price of a longer replay after a crash.
const openOptions = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
  allow_unsigned_extensions: 'false',
  checkpoint_threshold: '64MB',
}

/** What one database's DuckDB instance may use of the machine. */
export interface InstanceResources {
  /** Memory for its buffers (cached table data, intermediate results), in MiB; past it, spill. */
  memoryLimitMiB: number
  /** Threads a query or commit may run on. */
  threads: number
}

/**
 * 256 MiB of memory and up to 4 threads. DuckDB's own defaults, 80% of the memory and every core,
 * suit one database per machine, not one per database. On 2 cores, ingest ran about 3% faster
 * with both threads than with one, although the JavaScript thread parses on one of them.
 */
export function defaultInstanceResources(): InstanceResources {
  return { memoryLimitMiB: 256, threads: Math.min(4, availableParallelism()) }
}

/**
 * Opens the DuckDB instance of one database, confined to its own files: no other file, no other
 * database, no extension install, UTC time, its share of memory and threads, and settings locked
 * for every later connection.
 */
export async function openSandboxedInstance(
  paths: DatabasePaths,
  resources: InstanceResources = defaultInstanceResources(),
): Promise<DuckDBInstance> {
  // Set when opening, since nothing can be set once the configuration is locked.
  const instance = await DuckDBInstance.create(paths.databaseFile, {
    ...openOptions,
    temp_directory: paths.spillDir,
    memory_limit: `${resources.memoryLimitMiB}MiB`,
    threads: String(resources.threads),
  })

  try {
    const setup = await instance.connect()
    try {
      await runAll(setup, sandboxStatements(paths))
    } finally {
      setup.closeSync()
    }
  } catch (error) {
    instance.closeSync()
    throw error
  }

  return instance
}

/**
 * Connects to a sandboxed instance. Unqualified names resolve to the user schema, then to the
 * macros in `main`. DuckDB keeps `search_path` per connection only, and the configuration lock
 * does not cover it, so each connection sets it here.
 */
export async function connectSandboxed(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const connection = await instance.connect()
  try {
    await connection.run(`SET search_path = ${sqlString(`${USER_SCHEMA},main`)}`)
  } catch (error) {
    connection.closeSync()
    throw error
  }

  return connection
}

// The order matters: allowed_directories is accepted only while external access is on, the
// zone needs icu (loaded by then), and nothing can be set once the configuration is locked.
function sandboxStatements(paths: DatabasePaths): string[] {
  return [
    `SET GLOBAL allowed_directories = [${sqlString(`${paths.scratchDir}/`)}]`,
    'SET GLOBAL enable_external_access = false',
    "SET GLOBAL TimeZone = 'UTC'",
    `CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(USER_SCHEMA)}`,
    `CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(RAW_SCHEMA)}`,
    ...dialectMacros,
    'SET lock_configuration = true',
  ]
}

async function runAll(connection: DuckDBConnection, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await connection.run(statement)
}
