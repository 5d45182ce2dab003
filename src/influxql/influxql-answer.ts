import type { QueryResult, ResultBatch, ResultColumn } from '../storage/index.js'
import type { StatementKind } from './influxql-ast.js'

/**
 * The answer to one InfluxQL statement: the v3 result (`iox::measurement` first, then `time`
 * for SELECT), plus what the v1 shape needs to split it into series.
 */
export interface InfluxqlAnswer {
  kind: StatementKind
  result: QueryResult
  /** The GROUP BY tags, which follow `time` in the result; each tag set is one v1 series. */
  seriesTags: string[]
}

type Cell = ResultBatch['columns'][number][number]

/** A small result held in memory, such as a SHOW answered from the catalog. */
export function memoryResult(columns: ResultColumn[], rows: Cell[][]): QueryResult {
  const batch: ResultBatch = {
    rowCount: rows.length,
    columns: columns.map((_, index) => rows.map((row) => row[index] ?? null)),
  }
  return { columns, batches: batchesOf(rows.length > 0 ? [batch] : []) }
}

async function* batchesOf(batches: ResultBatch[]): AsyncIterable<ResultBatch> {
  for (const batch of batches) yield await Promise.resolve(batch)
}

/** The columns of a SELECT that found nothing to read (an unknown measurement or field). */
export function emptySelectColumns(seriesTags: string[]): ResultColumn[] {
  return [
    { name: 'iox::measurement', type: 'string' },
    { name: 'time', type: 'timestamp' },
    ...seriesTags.map((name): ResultColumn => ({ name, type: 'string' })),
  ]
}
