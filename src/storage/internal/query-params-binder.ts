import type { DuckDBPreparedStatement } from '@duckdb/node-api'

import { FluxgateError } from '../../errors/index.js'
import type { QueryParams } from '../storage-engine.js'

type ParamValue = QueryParams[string]

/**
 * Binds every `$name` placeholder of `prepared` from `params`. Parameters nobody refers to are
 * ignored; a placeholder without a value is ERR_QUERY_INVALID, worded as InfluxDB 3 words it.
 */
export function bindParams(prepared: DuckDBPreparedStatement, params: QueryParams): void {
  for (let index = 1; index <= prepared.parameterCount; index++) {
    const name = prepared.parameterName(index)
    if (!Object.hasOwn(params, name)) {
      throw new FluxgateError(
        'ERR_QUERY_INVALID',
        `No value found for placeholder with name $${name}`,
      )
    }

    bindOne(prepared, index, params[name] ?? null)
  }
}

function bindOne(prepared: DuckDBPreparedStatement, index: number, value: ParamValue): void {
  if (value === null) prepared.bindNull(index)
  else if (typeof value === 'string') prepared.bindVarchar(index, value)
  else if (typeof value === 'boolean') prepared.bindBoolean(index, value)
  else if (Number.isSafeInteger(value)) prepared.bindBigInt(index, BigInt(value))
  else prepared.bindDouble(index, value)
}
