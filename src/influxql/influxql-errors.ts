import { FluxgateError } from '../errors/index.js'

const statementPrefix = 'error in InfluxQL statement: '

/**
 * A statement that does not parse, worded as InfluxDB 3 words it:
 * `error in InfluxQL statement: parsing error: <message> at pos <pos>`.
 */
export function parseError(message: string, pos: number): FluxgateError {
  return new FluxgateError(
    'ERR_INFLUXQL_PARSE',
    `${statementPrefix}parsing error: ${message} at pos ${pos}`,
  )
}

/** A statement that parses but asks for something Fluxgate does not run. */
export function invalidStatement(message: string): FluxgateError {
  return new FluxgateError('ERR_INFLUXQL_INVALID', `${statementPrefix}${message}`)
}

/** More than one statement in a query; the reference's exact text. */
export function tooManyStatements(): FluxgateError {
  return new FluxgateError(
    'ERR_INFLUXQL_PARSE',
    'must provide only one InfluxQl statement per query',
  )
}

/** A `$name` the query's params do not define; the reference's exact text. */
export function undefinedParameter(name: string): FluxgateError {
  return invalidStatement(
    `Bind parameter '$${name}' was referenced in the InfluxQL statement but its value is undefined`,
  )
}
