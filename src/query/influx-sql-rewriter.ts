import { USER_SCHEMA } from '../storage/layout.js'
import { columnsSql, tablesSql } from './internal/influx-catalog-sql.js'
import { identifierName, tokenizeSql } from './internal/sql-tokenizer.js'
import type { SqlToken } from './internal/sql-tokenizer.js'

interface Edit {
  start: number
  end: number
  text: string
}

interface CatalogViewReference {
  name: string
  sql: string
  start: number
}

const catalogViews = new Map([
  ['tables', tablesSql],
  ['columns', columnsSql],
])

// Words that may follow a table reference without being its alias.
const clauseWords = new Set(
  [
    'anti asof cross except fetch for full group having inner intersect join lateral left',
    'limit natural offset on order pivot positional qualify right sample select semi',
    'tablesample union unpivot using where window',
  ]
    .join(' ')
    .split(' '),
)

const showColumnsHeader =
  'table_catalog, table_schema, table_name, column_name, data_type, is_nullable'

/**
 * Rewrites the InfluxDB 3 SQL that DuckDB would answer differently into DuckDB SQL over the
 * storage layout, and returns every other statement byte for byte:
 *
 * - `SHOW TABLES` lists user tables under schema `iox` as `BASE TABLE`, plus the two
 *   information_schema views below, with InfluxDB's columns.
 * - `SHOW [FULL] COLUMNS {FROM | IN} <table>` lists the table's columns with InfluxDB's
 *   `data_type` names (`Dictionary(Int32, Utf8)` for columns whose raw column is commented
 *   `tag`); an unknown table fails as any query on it would.
 * - `information_schema.tables` and `information_schema.columns`, anywhere in a statement and
 *   in any case, become subqueries that show user tables and never the raw schema.
 *
 * String literals and comments are never rewritten, and a quoted identifier only ever counts as
 * one whole name.
 *
 * @example
 * rewriteInfluxSql('SELECT 1') // 'SELECT 1'
 * rewriteInfluxSql('show tables') // 'SELECT table_catalog, table_schema, … ORDER BY …'
 */
export function rewriteInfluxSql(sql: string): string {
  const edits = statementsOf(tokenizeSql(sql)).flatMap(editsOf)

  return applyEdits(sql, edits)
}

/** The tokens of each statement, without spaces, comments and the `;` between statements. */
function statementsOf(tokens: SqlToken[]): SqlToken[][] {
  const statements: SqlToken[][] = [[]]
  for (const token of tokens) {
    if (token.kind === 'space' || token.kind === 'comment') continue

    if (isSymbol(token, ';')) statements.push([])
    else statements.at(-1)?.push(token)
  }
  return statements.filter((statement) => statement.length > 0)
}

function editsOf(statement: SqlToken[]): Edit[] {
  const replacement = showTablesSql(statement) ?? showColumnsSql(statement)
  if (replacement === undefined) return catalogViewEdits(statement)

  const start = statement[0]?.start ?? 0
  const end = statement.at(-1)?.end ?? start
  return [{ start, end, text: replacement }]
}

function showTablesSql(statement: SqlToken[]): string | undefined {
  if (statement.length !== 2 || !isWord(statement[0], 'show')) return undefined
  if (!isWord(statement[1], 'tables')) return undefined

  return [
    `SELECT table_catalog, table_schema, table_name, table_type FROM (${tablesSql})`,
    `ORDER BY table_schema <> '${USER_SCHEMA}', table_schema, table_name`,
  ].join(' ')
}

function showColumnsSql(statement: SqlToken[]): string | undefined {
  if (!isWord(statement[0], 'show')) return undefined

  const full = isWord(statement[1], 'full')
  const at = full ? 2 : 1
  if (!isWord(statement[at], 'columns')) return undefined
  if (!isWord(statement[at + 1], 'from') && !isWord(statement[at + 1], 'in')) return undefined

  const name = qualifiedName(statement.slice(at + 2))
  if (name === undefined) return undefined

  return columnsOfTableSql(name, full ? '*' : showColumnsHeader)
}

/** The identifier tokens of `[catalog.][schema.]table` when they make up all of `tokens`. */
function qualifiedName(tokens: SqlToken[]): SqlToken[] | undefined {
  const parts = tokens.filter((_, index) => index % 2 === 0)
  const dots = tokens.filter((_, index) => index % 2 === 1)

  if (tokens.length % 2 === 0 || parts.length > 3) return undefined
  if (!parts.every((part) => identifierName(part) !== undefined)) return undefined
  if (!dots.every((dot) => isSymbol(dot, '.'))) return undefined

  // InfluxDB's catalog is `public`; the DuckDB file has its own, so only schema.table remains.
  return parts.length === 3 && nameOf(parts[0]) === 'public' ? parts.slice(1) : parts
}

function columnsOfTableSql(name: SqlToken[], selection: string): string {
  const [table, schema] = name.map((part) => identifierName(part) ?? '').reverse()
  const reference = name.map((part) => part.text).join('.')
  const schemaFilter =
    schema === undefined ? '' : `AND lower(table_schema) = lower(${stringLiteral(schema)})`

  // Reading the table itself makes an unknown name fail with DuckDB's usual catalog error.
  return [
    `SELECT ${selection} FROM (${columnsSql})`,
    `WHERE lower(table_name) = lower(${stringLiteral(table ?? '')}) ${schemaFilter}`,
    `AND (SELECT NULL FROM ${reference} LIMIT 0) IS NULL`,
    `ORDER BY table_schema, table_name, ordinal_position`,
  ].join(' ')
}

function catalogViewEdits(statement: SqlToken[]): Edit[] {
  const edits: Edit[] = []
  statement.forEach((token, index) => {
    const view = catalogViewEndingAt(statement, index)
    if (view === undefined) return

    const alias = aliasFollows(statement[index + 1]) ? '' : ` AS "${view.name}"`
    edits.push({ start: view.start, end: token.end, text: `(${view.sql})${alias}` })
  })
  return edits
}

/** The information_schema view whose reference ends with the token at `index`, if any. */
function catalogViewEndingAt(
  statement: SqlToken[],
  index: number,
): CatalogViewReference | undefined {
  const name = nameOf(statement[index])
  const sql = catalogViews.get(name)
  if (sql === undefined || isSymbol(statement[index + 1], '.')) return undefined
  if (!isSymbol(statement[index - 1], '.')) return undefined

  const schema = statement[index - 2]
  if (schema === undefined || nameOf(schema) !== 'information_schema') return undefined
  if (!isSymbol(statement[index - 3], '.')) return { name, sql, start: schema.start }

  const catalog = statement[index - 4]
  if (catalog === undefined || nameOf(catalog) !== 'public') return undefined
  if (isSymbol(statement[index - 5], '.')) return undefined

  return { name, sql, start: catalog.start }
}

function aliasFollows(token: SqlToken | undefined): boolean {
  if (token?.kind === 'quoted-identifier') return true
  if (token?.kind !== 'word') return false

  return !clauseWords.has(token.text.toLowerCase())
}

function applyEdits(sql: string, edits: Edit[]): string {
  let result = ''
  let copied = 0
  for (const edit of edits) {
    result += sql.slice(copied, edit.start) + edit.text
    copied = edit.end
  }
  return result + sql.slice(copied)
}

function isWord(token: SqlToken | undefined, word: string): boolean {
  return token?.kind === 'word' && token.text.toLowerCase() === word
}

// DuckDB matches identifiers without regard to case, quoted or not.
function nameOf(token: SqlToken | undefined): string {
  return (token === undefined ? undefined : identifierName(token))?.toLowerCase() ?? ''
}

function isSymbol(token: SqlToken | undefined, symbol: string): boolean {
  return token?.kind === 'symbol' && token.text === symbol
}

function stringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
