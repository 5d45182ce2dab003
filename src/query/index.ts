/**
 * The query domain: the InfluxDB 3 SQL dialect over DuckDB, format negotiation, and the
 * streamed output formats of the query endpoints.
 */
export { rewriteInfluxSql } from './influx-sql-rewriter.js'
export { csvCell } from './internal/csv-rows-encoder.js'
export { formatTimestamp } from './internal/timestamp-formatter.js'
export { contentTypeOf, negotiateFormat } from './query-format-negotiator.js'
export type { QueryFormat } from './query-format-negotiator.js'
export { writeQueryResult } from './query-result-writer.js'
export type { TextQueryFormat } from './query-result-writer.js'
export type { ResultSink } from './result-sink.js'
export { writableSink } from './writable-result-sink.js'
export { rewriteSystemSchema } from './system-schema-rewriter.js'
