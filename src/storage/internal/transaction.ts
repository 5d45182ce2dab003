import type { DuckDBConnection } from '@duckdb/node-api'

/**
 * Runs `work` in one transaction on `connection`: committed when it resolves, rolled back when
 * it throws. A commit that resolves is durable: DuckDB has written and synced its WAL.
 */
export async function inTransaction<T>(
  connection: DuckDBConnection,
  work: () => Promise<T>,
): Promise<T> {
  await connection.run('BEGIN TRANSACTION')
  try {
    const value = await work()
    await connection.run('COMMIT')
    return value
  } catch (error) {
    await rollbackQuietly(connection)
    throw error
  }
}

/** Runs each statement in order, in one transaction. */
export async function runInTransaction(
  connection: DuckDBConnection,
  statements: readonly string[],
): Promise<void> {
  await inTransaction(connection, async () => {
    for (const statement of statements) await connection.run(statement)
  })
}

// A failed COMMIT has already ended the transaction, and then ROLLBACK itself fails; the first
// error is the one worth reporting.
async function rollbackQuietly(connection: DuckDBConnection): Promise<void> {
  try {
    await connection.run('ROLLBACK')
  } catch {
    // nothing left to undo
  }
}
