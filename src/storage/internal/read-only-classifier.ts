import { StatementType } from '@duckdb/node-api'
import type {
  DuckDBConnection,
  DuckDBExtractedStatements,
  DuckDBPreparedStatement,
} from '@duckdb/node-api'

import { FluxgateError } from '../../errors/index.js'
import { scanSql } from './sql-scanner.js'
import type { SqlToken } from './sql-scanner.js'

/** A statement found to only read, prepared on the connection that classified it. */
export interface ReadOnlyStatement {
  prepared: DuckDBPreparedStatement
  /** The statement as written, without the comments around it or a final semicolon. */
  text: string
  /** The first keyword: SELECT, WITH, SHOW, DESCRIBE, EXPLAIN… */
  leadingWord: string
  /** The significant tokens of `text`. */
  tokens: readonly SqlToken[]
}

// DuckDB reports some statements that only read (PRAGMA table_info…) as SELECT, and some that
// write (EXPLAIN ANALYZE DELETE…) as EXPLAIN, so the text must start with one of these too.
const readingWords = new Set([
  'SELECT',
  'WITH',
  'FROM',
  'VALUES',
  'TABLE',
  'SHOW',
  'DESCRIBE',
  'DESC',
  'SUMMARIZE',
  'PIVOT',
  'UNPIVOT',
  '(',
])

const explainOptions = new Set(['ANALYZE', 'ANALYSE', 'VERBOSE'])

/**
 * Prepares `sql` when it is exactly one statement that only reads: a SELECT in any of its forms,
 * or an EXPLAIN of one. Throws ERR_QUERY_NOT_READ_ONLY for anything else and ERR_QUERY_INVALID
 * when DuckDB cannot parse or bind it.
 */
export async function prepareReadOnly(
  connection: DuckDBConnection,
  sql: string,
): Promise<ReadOnlyStatement> {
  const tokens = significantTokens(sql)
  if (tokens.length === 0) {
    throw new FluxgateError('ERR_QUERY_INVALID', 'the query has no statement')
  }
  const prepared = await prepareSingle(connection, sql, tokens)

  try {
    await checkReadingText(connection, sql, tokens)
    const type = prepared.statementType
    if (type !== StatementType.SELECT && type !== StatementType.EXPLAIN) {
      throw notReadOnly(statementName(type))
    }

    return {
      prepared,
      text: statementText(sql, tokens),
      leadingWord: leadingWordOf(tokens),
      tokens,
    }
  } catch (error) {
    prepared.destroySync()
    throw error
  }
}

// Preparing parses, binds and plans without running anything, and refuses more than one
// statement, so the usual query costs one call to DuckDB. Only a refusal needs a second: it
// tells a query of several statements, reported as such, from a statement that is invalid.
async function prepareSingle(
  connection: DuckDBConnection,
  sql: string,
  tokens: readonly SqlToken[],
): Promise<DuckDBPreparedStatement> {
  try {
    return await connection.prepare(sql)
  } catch (error) {
    const statements = await countStatements(connection, sql)
    if (statements !== 1) throw severalStatements(statements)

    await checkReadingText(connection, sql, tokens)
    throw invalidQuery(error)
  }
}

function leadingWordOf(tokens: readonly SqlToken[]): string {
  return tokens[0]?.text ?? ''
}

async function checkReadingText(
  connection: DuckDBConnection,
  sql: string,
  tokens: readonly SqlToken[],
): Promise<void> {
  const leadingWord = leadingWordOf(tokens)
  if (leadingWord === 'EXPLAIN') await checkExplained(connection, sql, tokens)
  else checkReadingWord(leadingWord)
}

function significantTokens(sql: string): SqlToken[] {
  const tokens = scanSql(sql)
  const first = tokens.findIndex((token) => token.text !== ';')
  let last = tokens.length - 1
  while (last >= 0 && tokens[last]?.text === ';') last--

  return first === -1 ? [] : tokens.slice(first, last + 1)
}

async function countStatements(connection: DuckDBConnection, sql: string): Promise<number> {
  let extracted: DuckDBExtractedStatements
  try {
    extracted = await connection.extractStatements(sql)
  } catch (error) {
    throw invalidQuery(error)
  }

  return extracted.count
}

function severalStatements(count: number): FluxgateError {
  return new FluxgateError(
    'ERR_QUERY_NOT_READ_ONLY',
    `a query must be exactly one statement; found ${count}`,
  )
}

function checkReadingWord(word: string): void {
  if (!readingWords.has(word)) throw notReadOnly(word === '' ? 'this statement' : word)
}

// `EXPLAIN ANALYZE` runs what it explains, so what follows EXPLAIN and its options must be a
// reading statement on its own.
async function checkExplained(
  connection: DuckDBConnection,
  sql: string,
  tokens: readonly SqlToken[],
): Promise<void> {
  const explained = tokens[skipExplainOptions(tokens, 1)]
  checkReadingWord(explained?.text ?? '')

  const start = explained?.start ?? sql.length
  const inner = await prepareChecked(() => connection.prepare(sql.slice(start)))
  const type = inner.statementType
  inner.destroySync()
  if (type !== StatementType.SELECT) throw notReadOnly(`EXPLAIN of ${statementName(type)}`)
}

function skipExplainOptions(tokens: readonly SqlToken[], from: number): number {
  let at = from
  for (let token = tokens[at]; token !== undefined; token = tokens[at]) {
    if (explainOptions.has(token.text)) at++
    else if (token.text === '(' && isOptionList(tokens, at)) at = closingParen(tokens, at) + 1
    else break
  }

  return at
}

// `EXPLAIN (FORMAT json) SELECT …` has options in parentheses; `EXPLAIN (SELECT 1)` does not.
function isOptionList(tokens: readonly SqlToken[], open: number): boolean {
  const next = tokens[open + 1]?.text ?? ''
  return !readingWords.has(next) && next !== 'EXPLAIN'
}

function closingParen(tokens: readonly SqlToken[], open: number): number {
  let depth = 0
  for (let at = open; at < tokens.length; at++) {
    const text = tokens[at]?.text
    if (text === '(') depth++
    if (text === ')') depth--
    if (depth === 0) return at
  }

  return tokens.length
}

async function prepareChecked(
  prepare: () => Promise<DuckDBPreparedStatement>,
): Promise<DuckDBPreparedStatement> {
  try {
    return await prepare()
  } catch (error) {
    throw invalidQuery(error)
  }
}

function statementText(sql: string, tokens: readonly SqlToken[]): string {
  const first = tokens[0]
  const last = tokens[tokens.length - 1]
  return first === undefined || last === undefined ? '' : sql.slice(first.start, last.end)
}

function statementName(type: StatementType): string {
  return StatementType[type] ?? 'this statement'
}

function notReadOnly(what: string): FluxgateError {
  return new FluxgateError(
    'ERR_QUERY_NOT_READ_ONLY',
    `only SELECT, WITH, SHOW, DESCRIBE, SUMMARIZE and EXPLAIN statements may run; got ${what}`,
  )
}

/** Wraps a DuckDB error as ERR_QUERY_INVALID, keeping DuckDB's message as the detail. */
export function invalidQuery(error: unknown): FluxgateError {
  if (error instanceof FluxgateError) return error

  const message = error instanceof Error ? error.message : String(error)
  return new FluxgateError('ERR_QUERY_INVALID', message, { cause: error })
}
