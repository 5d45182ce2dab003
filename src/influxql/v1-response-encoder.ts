import { csvCell } from '../query/index.js'
import type { InfluxqlAnswer } from './influxql-answer.js'
import { jsonText } from './internal/json-text.js'
import type { JsonValue } from './internal/json-text.js'
import { readV1Series } from './v1-series-reader.js'
import type { Epoch, V1Series } from './v1-series-reader.js'

/** How a v1 `/query` answer is written. */
export interface V1Options {
  format: 'json' | 'csv'
  epoch: Epoch | undefined
  /** `pretty=true`: indented JSON. */
  pretty: boolean
  /** `chunked=true`: at most this many values per JSON object, one object per line. */
  chunkSize: number | undefined
}

/**
 * The pieces of a v1 answer body, as InfluxDB 1.x writes them:
 * `{"results":[{"statement_id":0,"series":[{"name","tags","columns","values"}]}]}`, or with
 * `chunked` one such object per line and `"partial":true` on all but the last; CSV has the
 * columns `name,tags,time,…` with integer times.
 */
export async function encodeV1Answer(
  answer: InfluxqlAnswer,
  options: V1Options,
): Promise<string[]> {
  if (options.format === 'csv') return [csvText(await readV1Series(answer, options.epoch ?? 'ns'))]

  const series = await readV1Series(answer, options.epoch)
  const indent = options.pretty ? '    ' : ''
  if (options.chunkSize === undefined) return [jsonText(resultsOf(series, false), indent)]

  return chunksOf(series, options.chunkSize).map(
    ({ series: part, partial }) => `${jsonText(resultsOf(part, partial), indent)}\n`,
  )
}

/** A statement error in the v1 shape: status 200, `{"results":[{"statement_id":0,"error":…}]}`. */
export function v1StatementError(message: string, pretty: boolean): string {
  return jsonText({ results: [{ statement_id: 0, error: message }] }, pretty ? '    ' : '')
}

function resultsOf(series: Array<V1Series & { partial?: boolean }>, partial: boolean): JsonValue {
  const result: Record<string, JsonValue | undefined> = {
    statement_id: 0,
    series: series.length > 0 ? series.map(seriesJson) : undefined,
    partial: partial ? true : undefined,
  }
  return { results: [result] }
}

function seriesJson(series: V1Series & { partial?: boolean }): JsonValue {
  return {
    name: series.name,
    tags: series.tags,
    columns: series.columns,
    values: series.values,
    partial: series.partial === true ? true : undefined,
  }
}

interface Chunk {
  series: Array<V1Series & { partial?: boolean }>
  partial: boolean
}

// Each chunk holds one series' next `size` values; a series that goes on is marked partial.
function chunksOf(series: V1Series[], size: number): Chunk[] {
  const chunks: Chunk[] = []
  for (const one of series) {
    for (let start = 0; start < one.values.length; start += size) {
      const values = one.values.slice(start, start + size)
      const continues = start + size < one.values.length
      chunks.push({ series: [{ ...one, values, partial: continues }], partial: true })
    }
  }

  const last = chunks.at(-1)
  if (last === undefined) return [{ series: [], partial: false }]
  last.partial = false
  return chunks
}

function csvText(series: V1Series[]): string {
  const lines: string[] = []
  let header = ''
  for (const one of series) {
    const next = ['name', 'tags', ...one.columns].map(csvCell).join(',')
    if (next !== header) {
      if (header !== '') lines.push('')
      lines.push(next)
      header = next
    }
    const tags = Object.entries(one.tags ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(',')
    for (const row of one.values) {
      lines.push([one.name ?? '', tags, ...row.map(csvValue)].map(csvCell).join(','))
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}

function csvValue(value: V1Series['values'][number][number]): string {
  return value === null ? '' : String(value)
}
