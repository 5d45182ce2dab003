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

/** A transaction of statements around work done through the connection's own API. */
export interface ScriptedTransaction {
  /** Statements run after BEGIN, before `work`. */
  before: readonly string[]
  work: () => Promise<void>
  /** Statements run after `work`, before COMMIT. */
  after: readonly string[]
}

/**
 * Runs `transaction`, committed, or rolled back when any part of it throws. The statements before
 * `work` go to DuckDB as one script with BEGIN, and those after it as one with COMMIT: each call
 * waits for the event loop to come back to it, which can take as long as the longest task that
 * runs meanwhile, so the transaction costs two such waits however many statements it holds. A
 * commit that resolves is durable, as with `inTransaction`.
 */
export async function inScriptedTransaction(
  connection: DuckDBConnection,
  transaction: ScriptedTransaction,
): Promise<void> {
  try {
    await connection.run(script(['BEGIN TRANSACTION', ...transaction.before]))
    await transaction.work()
    await connection.run(script([...transaction.after, 'COMMIT']))
  } catch (error) {
    await rollbackQuietly(connection)
    throw error
  }
}

function script(statements: readonly string[]): string {
  return statements.join(';\n')
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
