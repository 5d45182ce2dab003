/**
 * The InfluxQL domain: a parser with positioned errors, a planner that turns a SELECT into one
 * DuckDB statement over a measurement's table, SHOW statements answered from the catalog, and
 * the v1 `/query` response shapes.
 */
export { parseInfluxql } from './influxql-parser.js'
export { bindStatementParams } from './param-binder.js'
export { resolveDatabase } from './database-resolver.js'
export type { DatabaseRule } from './database-resolver.js'
export { planSelect } from './select-planner.js'
export type { SelectPlan } from './select-planner.js'
export { planShow } from './show-planner.js'
export type { ShowPlan } from './show-planner.js'
export { emptySelectColumns, memoryResult } from './influxql-answer.js'
export type { InfluxqlAnswer } from './influxql-answer.js'
export { encodeV1Answer, v1StatementError } from './v1-response-encoder.js'
export type { V1Options } from './v1-response-encoder.js'
export { parseEpoch } from './v1-series-reader.js'
export type { Epoch } from './v1-series-reader.js'
export type { SelectStatement, ShowStatement, Statement, StatementKind } from './influxql-ast.js'
