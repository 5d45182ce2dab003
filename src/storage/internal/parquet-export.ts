import { randomUUID } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'

import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api'

import { FluxgateError } from '../../errors/index.js'
import type { QueryParams } from '../storage-engine.js'
import { bindParams } from './query-params-binder.js'
import { QuerySession } from './query-session.js'
import type { QueryHost } from './query-session.js'
import { invalidQuery, prepareReadOnly } from './read-only-classifier.js'
import type { ReadOnlyStatement } from './read-only-classifier.js'
import { sqlString } from './sql-names.js'

// COPY takes a plain query only; these statements become one as a subquery.
const wrappedWords = new Set(['SHOW', 'DESCRIBE', 'DESC', 'SUMMARIZE'])

/**
 * Runs one read-only statement and returns its result as the bytes of a Parquet file. DuckDB
 * writes the file into the database's own scratch folder, the only one it may write to; the file
 * is removed before this resolves.
 */
export async function exportParquet(
  host: QueryHost,
  scratchDir: string,
  sql: string,
  params: QueryParams,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const session = await QuerySession.start(host, signal)
  const file = join(scratchDir, `${randomUUID()}.parquet`)
  try {
    const statement = await prepareReadOnly(session.connection, sql)
    statement.prepared.destroySync()

    const copy = await prepareCopy(session.connection, statement, file)
    bindParams(copy, params)
    await session.guard(() => copy.run())
    copy.destroySync()
    session.recycle()

    return await readFile(file)
  } catch (error) {
    session.release()
    throw session.failure(error)
  } finally {
    await rm(file, { force: true })
  }
}

// The statement text parsed as exactly one reading statement, so it cannot close the
// parentheses around it; a line break ends any trailing line comment.
async function prepareCopy(
  connection: DuckDBConnection,
  statement: ReadOnlyStatement,
  file: string,
): Promise<DuckDBPreparedStatement> {
  if (statement.leadingWord === 'EXPLAIN') {
    throw new FluxgateError('ERR_QUERY_INVALID', 'an EXPLAIN result cannot be exported as Parquet')
  }

  const query = wrappedWords.has(statement.leadingWord)
    ? `SELECT * FROM (\n${statement.text}\n)`
    : `\n${statement.text}\n`
  try {
    return await connection.prepare(
      `COPY (${query}) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd)`,
    )
  } catch (error) {
    throw invalidQuery(error)
  }
}
