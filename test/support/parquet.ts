import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { DuckDBInstance } from '@duckdb/node-api'

/** The rows of a Parquet file, read back by a separate in-memory DuckDB, values as JSON. */
export async function parquetRows(bytes: Uint8Array): Promise<Array<Record<string, unknown>>> {
  const dir = await mkdtemp(join(tmpdir(), 'fluxgate-parquet-'))
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const file = join(dir, 'answer.parquet')
    await writeFile(file, bytes)
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)
    return reader.getRowObjectsJson()
  } finally {
    connection.closeSync()
    instance.closeSync()
    await rm(dir, { recursive: true, force: true })
  }
}
