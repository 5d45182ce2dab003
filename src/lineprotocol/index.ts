export { fieldValueOf, originalLineOf } from './line-batch.js'
export { parseLineBatch } from './line-batch-parser.js'
export { packLineBatch, unpackLineBatch } from './line-batch-codec.js'
export type { PackedLineBatch } from './line-batch-codec.js'
export { LineParserPool } from './line-parser-pool.js'
export type { LineParserPoolOptions } from './line-parser-pool.js'
export { parseLineProtocol } from './line-protocol-parser.js'
export type { ParsedBatch } from './line-protocol-parser.js'
export { parsePrecision } from './precision-parser.js'
export type { WriteApi } from './precision-parser.js'
export {
  defaultTimestamp,
  inferUnit,
  timestampOutOfRangeMessage,
  toNanoseconds,
  unitOf,
} from './timestamp-converter.js'
export type { TimeUnit } from './timestamp-converter.js'
export type { FieldType, FieldValue, LineBatch, LineError, ParsedLine, Precision } from './types.js'
