import type { DatabaseRecord, TableRecord } from '../catalog/index.js'
import { formatGoDuration } from '../catalog/index.js'
import type { QueryParams, ResultBatch, ResultColumn } from '../storage/index.js'
import { sqlIdentifier, userViewName } from '../storage/index.js'
import type { KeyMatch, ShowStatement } from './influxql-ast.js'
import { invalidStatement } from './influxql-errors.js'
import { compareNames, measurementSchema } from './internal/measurement-schema.js'
import type { FieldType } from './internal/measurement-schema.js'
import { SqlParams } from './internal/sql-params.js'

type Cell = ResultBatch['columns'][number][number]

/** A SHOW answered from the catalog (`rows`) or by one DuckDB statement (`sql`). */
export type ShowPlan =
  | { kind: 'rows'; columns: ResultColumn[]; rows: Cell[][] }
  | { kind: 'sql'; sql: string; params: QueryParams }

/** What a SHOW may see: the databases the caller may describe, and the tables of its database. */
export interface ShowContext {
  databases: readonly DatabaseRecord[]
  database: DatabaseRecord | undefined
  tables: readonly TableRecord[]
}

const fieldTypeNames: Record<FieldType, string> = {
  float: 'float',
  integer: 'integer',
  uinteger: 'unsigned',
  string: 'string',
  boolean: 'boolean',
}

const text = (name: string): ResultColumn => ({ name, type: 'string' })
const measurementColumn = text('iox::measurement')

/** Plans a SHOW statement in the v3 shape of the reference (§8.5). */
export function planShow(statement: ShowStatement, context: ShowContext): ShowPlan {
  if (statement.kind === 'show-databases') return showDatabases(context.databases)

  const window = { limit: statement.limit, offset: statement.offset }
  const tables = tablesOf(context.tables, statement.source?.measurement)
  switch (statement.kind) {
    case 'show-retention-policies':
      return showRetentionPolicies(context.database)
    case 'show-measurements':
      return rows(
        [measurementColumn, text('name')],
        tables.map((t) => ['measurements', t.name]),
        window,
      )
    case 'show-tag-keys':
      return rows([measurementColumn, text('tagKey')], tagKeyRows(tables), window)
    case 'show-field-keys':
      return rows(
        [measurementColumn, text('fieldKey'), text('fieldType')],
        fieldKeyRows(tables),
        window,
      )
    case 'show-tag-values':
      return showTagValues(tables, statement.key, window)
    case 'show-series':
      return showSeries(tables, window)
  }
}

interface Window {
  limit: number | undefined
  offset: number | undefined
}

function tablesOf(tables: readonly TableRecord[], measurement: string | undefined): TableRecord[] {
  const named = measurement === undefined ? tables : tables.filter((t) => t.name === measurement)
  return [...named].sort((a, b) => compareNames(a.name, b.name))
}

function rows(columns: ResultColumn[], cells: Cell[][], window?: Window): ShowPlan {
  const start = window?.offset ?? 0
  const end = window?.limit === undefined ? undefined : start + window.limit
  return { kind: 'rows', columns, rows: cells.slice(start, end) }
}

function showDatabases(databases: readonly DatabaseRecord[]): ShowPlan {
  const sorted = [...databases].sort((a, b) => compareNames(a.name, b.name))
  const columns: ResultColumn[] = [text('iox::database'), { name: 'deleted', type: 'boolean' }]
  return rows(
    columns,
    sorted.map((db) => [db.name, db.deletedAt !== undefined]),
  )
}

function showRetentionPolicies(db: DatabaseRecord | undefined): ShowPlan {
  if (db === undefined) throw invalidStatement('SHOW RETENTION POLICIES needs a database')
  const columns = [text('iox::database'), text('name'), text('duration')]
  return rows(columns, [[db.name, 'autogen', formatGoDuration(db.retentionNanos)]])
}

function tagKeyRows(tables: TableRecord[]): Cell[][] {
  return tables.flatMap((table) => measurementSchema(table).tags.map((tag) => [table.name, tag]))
}

function fieldKeyRows(tables: TableRecord[]): Cell[][] {
  return tables.flatMap((table) =>
    [...measurementSchema(table).fields].map(([name, type]) => [
      table.name,
      name,
      fieldTypeNames[type],
    ]),
  )
}

function showTagValues(tables: TableRecord[], match: KeyMatch, window: Window): ShowPlan {
  const params = new SqlParams()
  const selects = tables.flatMap((table) =>
    measurementSchema(table)
      .tags.filter(keyMatcher(match))
      .map((tag) => {
        const column = sqlIdentifier(tag)
        const list = [
          `${params.bind(table.name)} AS "iox::measurement"`,
          `${params.bind(tag)} AS "key"`,
          `${column} AS "value"`,
        ]
        const present = `WHERE ${column} IS NOT NULL`
        return `SELECT DISTINCT ${list.join(', ')} FROM ${userViewName(table.name)} ${present}`
      }),
  )
  const columns = [measurementColumn, text('key'), text('value')]
  return unionPlan(selects, params, columns, window)
}

function keyMatcher(match: KeyMatch): (key: string) => boolean {
  switch (match.op) {
    case '=':
      return (key) => key === match.key
    case '!=':
      return (key) => key !== match.key
    case 'in':
      return (key) => match.keys.includes(key)
    case '=~':
    case '!~': {
      const pattern = keyPattern(match.pattern)
      return (key) => pattern.test(key) === (match.op === '=~')
    }
  }
}

// Tag keys are matched here rather than in DuckDB; RE2's `(?i)` prefix becomes the `i` flag.
function keyPattern(pattern: string): RegExp {
  const insensitive = pattern.startsWith('(?i)')
  try {
    return new RegExp(insensitive ? pattern.slice(4) : pattern, insensitive ? 'iu' : 'u')
  } catch {
    throw invalidStatement(`invalid regular expression /${pattern}/`)
  }
}

function showSeries(tables: TableRecord[], window: Window): ShowPlan {
  const params = new SqlParams()
  const selects = tables.map((table) => {
    const parts = measurementSchema(table).tags.map((tag) => {
      const column = sqlIdentifier(tag)
      const pair = `${params.bind(`${escapeKey(tag)}=`)} || ${escapedValueSql(column)}`
      return `CASE WHEN ${column} IS NOT NULL THEN ${pair} END`
    })
    const measurement = params.bind(escapeMeasurement(table.name))
    const key = `concat_ws(',', ${[measurement, ...parts].join(', ')})`
    const list = `${params.bind(table.name)} AS "iox::measurement", ${key} AS "key"`
    return `SELECT DISTINCT ${list} FROM ${userViewName(table.name)}`
  })
  return unionPlan(selects, params, [measurementColumn, text('key')], window)
}

function unionPlan(
  selects: string[],
  params: SqlParams,
  columns: ResultColumn[],
  window: Window,
): ShowPlan {
  if (selects.length === 0) return rows(columns, [])

  const order = columns.map((_, index) => index + 1).join(', ')
  const limit = window.limit === undefined ? '' : ` LIMIT ${window.limit}`
  const offset = window.offset === undefined ? '' : ` OFFSET ${window.offset}`
  const union = selects.join(' UNION ALL ')
  return {
    kind: 'sql',
    sql: `SELECT * FROM (${union}) ORDER BY ${order}${limit}${offset}`,
    params: params.values,
  }
}

// Series keys escape as line protocol does: `,` and space in names, also `=` in tags.
function escapeMeasurement(name: string): string {
  return name.replace(/[, ]/g, (char) => `\\${char}`)
}

function escapeKey(key: string): string {
  return key.replace(/[,= ]/g, (char) => `\\${char}`)
}

function escapedValueSql(column: string): string {
  return `replace(replace(replace(${column}, ',', '\\,'), '=', '\\='), ' ', '\\ ')`
}
