import { readdirSync } from 'node:fs'
import { join } from 'node:path'

import { DuckDBInstance } from '@duckdb/node-api'

import { spawnServer } from '../../test/support/server-process.js'

/** A Fluxgate server run from the build on a data folder that outlives it. */
export interface BenchServer {
  url: string
  /** Stops the server and waits for it to exit; DuckDB checkpoints its file on the way out. */
  stop(): Promise<void>
}

/**
 * Starts `influxdb3 serve` on `dataDir` and a free port, without authentication: these
 * benchmarks measure the query path; `bench/auth` measures what a token check adds.
 */
export async function startBenchServer(dataDir: string): Promise<BenchServer> {
  const args = ['--data-dir', dataDir, '--node-id', 'bench', '--without-auth']
  const server = await spawnServer(args)

  return {
    url: server.url,
    async stop() {
      server.child.kill('SIGTERM')
      await server.exited
    },
  }
}

/**
 * Sends line-protocol batches to `/api/v3/write_lp` from `clients` concurrent senders. The
 * batches are pulled one at a time, so a generator never holds the whole load in memory.
 */
export async function writeBatches(
  url: string,
  db: string,
  batches: Iterator<string>,
  clients = 4,
): Promise<void> {
  const target = `${url}/api/v3/write_lp?db=${db}&precision=ns`
  const sender = async (): Promise<void> => {
    for (let next = batches.next(); next.done !== true; next = batches.next()) {
      const res = await fetch(target, { method: 'POST', body: next.value })
      if (res.status !== 204) throw new Error(`write failed: ${res.status} ${await res.text()}`)
    }
  }

  await Promise.all(Array.from({ length: clients }, sender))
}

/**
 * The DuckDB file in which the server keeps `table` (its user view), found under the data
 * folder. The server must be stopped: the file is opened read-only to look.
 */
export async function findDatabaseFile(dataDir: string, table: string): Promise<string> {
  const entries = readdirSync(dataDir, { withFileTypes: true, recursive: true })
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.duckdb'))
    .map((entry) => join(entry.parentPath, entry.name))

  for (const file of files) if (await hasView(file, table)) return file
  throw new Error(`no DuckDB file under ${dataDir} holds ${table}`)
}

async function hasView(file: string, table: string): Promise<boolean> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' })
  try {
    const connection = await instance.connect()
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::INTEGER FROM duckdb_views()
       WHERE schema_name = $schema AND view_name = $view`,
      { schema: 'iox', view: table },
    )
    connection.closeSync()
    return reader.getRows()[0]?.[0] === 1
  } finally {
    instance.closeSync()
  }
}
