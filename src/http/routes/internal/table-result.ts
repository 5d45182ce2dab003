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
    batches: (async function* () {
      if (rows.length > 0) yield batch
    })(),
  }
}
