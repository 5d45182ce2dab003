import type { QueryResult, ResultColumn, ResultBatch } from '../../../storage/index.js'

type Cell = ResultBatch['columns'][number][number]

/** A small result held in memory, rendered by the same writers as query results. */
export function tableResult(columns: ResultColumn[], rows: Cell[][]): QueryResult {
  const batch: ResultBatch = {
    rowCount: rows.length,
    columns: columns.map((_, index) => rows.map((row) => row[index] ?? null)),
  }

  return {
    columns,
    batches: batchesOf(rows.length > 0 ? [batch] : []),
  }
}

async function* batchesOf(batches: ResultBatch[]): AsyncIterable<ResultBatch> {
  for (const batch of batches) yield await Promise.resolve(batch)
}
