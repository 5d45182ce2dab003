/**
 * Helpers for the storage tests: engines on temporary folders and results read into rows.
 * Nothing here is used outside tests.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { createStorageEngine } from '../duckdb-storage-engine.js'
import type { StorageEngineOptions } from '../duckdb-storage-engine.js'
import type { DatabaseStorage, QueryParams, StorageEngine } from '../storage-engine.js'
import type { ColumnDef, QueryResult, ResultBatch, WriteRow } from '../types.js'

type Cell = ResultBatch['columns'][number][number]

/** An engine on a fresh temporary folder, and a way to remove it all. */
export interface TestEngine {
  engine: StorageEngine
  dir: string
  /** Reopens an engine on the same folder (file mode). */
  reopen(): StorageEngine
  dispose(): Promise<void>
}

/** Creates a file-mode engine on a new temporary folder. */
export async function fileEngine(
  hooks: Omit<StorageEngineOptions, 'mode' | 'dir'> = {},
): Promise<TestEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'fluxgate-storage-test-'))
  const engines: StorageEngine[] = []
  const create = (): StorageEngine => {
    const engine = createStorageEngine({ mode: 'file', dir, ...hooks })
    engines.push(engine)
    return engine
  }

  return {
    engine: create(),
    dir,
    reopen: create,
    async dispose() {
      for (const engine of engines) await engine.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The columns of the `cpu` table most tests use. */
export const cpuColumns: ColumnDef[] = [
  { name: 'host', type: 'tag' },
  { name: 'region', type: 'tag' },
  { name: 'usage', type: 'float' },
  { name: 'count', type: 'integer' },
]

/** A `cpu` row; `time` in nanoseconds. */
export function cpuRow(
  time: bigint,
  tags: Record<string, string>,
  fields: WriteRow['fields'],
): WriteRow {
  return { table: 'cpu', tags, fields, time }
}

/** Reads a whole result into row objects keyed by column name. */
export async function readRows(result: QueryResult): Promise<Array<Record<string, Cell>>> {
  const rows: Array<Record<string, Cell>> = []
  for await (const batch of result.batches) {
    for (let row = 0; row < batch.rowCount; row++) {
      const record: Record<string, Cell> = {}
      result.columns.forEach((column, index) => {
        record[column.name] = batch.columns[index]?.[row] ?? null
      })
      rows.push(record)
    }
  }

  return rows
}

/** Runs `sql` and reads every row. */
export async function queryRows(
  db: DatabaseStorage,
  sql: string,
  params: QueryParams = {},
): Promise<Array<Record<string, Cell>>> {
  return await readRows(await db.query(sql, params))
}

/** The first column of the first row of `sql`. */
export async function queryValue(db: DatabaseStorage, sql: string): Promise<Cell | undefined> {
  const result = await db.query(sql, {})
  for await (const batch of result.batches) return batch.columns[0]?.[0]

  return undefined
}
