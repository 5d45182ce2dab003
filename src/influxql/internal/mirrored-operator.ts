import type { BinaryOperator } from '../influxql-ast.js'

const swaps: Partial<Record<BinaryOperator, BinaryOperator>> = {
  '<': '>',
  '>': '<',
  '<=': '>=',
  '>=': '<=',
}

/**
 * The operator that keeps a comparison's meaning when its operands change sides, so that
 * `5 < usage` can be read as `usage > 5`. Symmetric operators stay as they are.
 */
export function mirrored(op: BinaryOperator): BinaryOperator {
  return swaps[op] ?? op
}
