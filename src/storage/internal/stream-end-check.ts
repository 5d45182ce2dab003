import { FluxgateError, isFluxgateError } from '../../errors/index.js'
import type { QueryParams } from '../storage-engine.js'
import { bindParams } from './query-params-binder.js'
import type { QuerySession } from './query-session.js'
import type { ReadOnlyStatement } from './read-only-classifier.js'

const unexplained = 'the query failed while its result was being read'

/**
 * Throws when a streamed result ended because the query failed, and otherwise ends the session's
 * transaction. DuckDB's Node bindings end a failed stream exactly like a complete one and keep
 * the error out of reach, but the failure aborts the transaction, which a probe notices. The
 * message is then recovered by evaluating the statement once more, folded into one row so that
 * nothing piles up in memory.
 */
export async function checkStreamEnded(
  session: QuerySession,
  statement: ReadOnlyStatement,
  params: QueryParams,
): Promise<void> {
  try {
    await session.endChecked()
    return
  } catch (error) {
    rethrowUnlessInvalid(error)
  }

  throw new FluxgateError('ERR_QUERY_INVALID', await recoverMessage(session, statement, params))
}

async function recoverMessage(
  session: QuerySession,
  statement: ReadOnlyStatement,
  params: QueryParams,
): Promise<string> {
  if (statement.leadingWord === 'EXPLAIN') return unexplained

  try {
    await session.guard(() => session.connection.run('ROLLBACK'))
    await session.guard(() => session.connection.run('BEGIN TRANSACTION READ ONLY'))
    const replay = await session.guard(() =>
      session.connection.prepare(`SELECT max(hash(COLUMNS(*))) FROM (\n${statement.text}\n)`),
    )
    bindParams(replay, params)
    await session.guard(() => replay.run())
  } catch (error) {
    rethrowUnlessInvalid(error)
    return isFluxgateError(error) ? (error.detail ?? unexplained) : unexplained
  }

  return unexplained
}

// A cancelled or closed session reports that, not a failure of the query.
function rethrowUnlessInvalid(error: unknown): void {
  if (!isFluxgateError(error, 'ERR_QUERY_INVALID')) throw error
}
