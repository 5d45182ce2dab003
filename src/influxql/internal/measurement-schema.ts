import type { TableRecord } from '../../catalog/index.js'
import type { ColumnType } from '../../storage/index.js'
import type { NameCast } from '../influxql-ast.js'

/** The type of a field column. */
export type FieldType = Exclude<ColumnType, 'tag' | 'time'>

/** A measurement as a planner sees it: its tags and its fields with their types. */
export interface MeasurementSchema {
  name: string
  /** Tag names, sorted. */
  tags: string[]
  /** Field types by name; iteration is sorted by name. */
  fields: Map<string, FieldType>
}

/** What a name in a statement refers to. */
export type NameRole = { role: 'tag' } | { role: 'field'; type: FieldType }

/** The schema of a catalog table. */
export function measurementSchema(table: TableRecord): MeasurementSchema {
  const columns = [...table.columns].sort((a, b) => compareNames(a.name, b.name))
  const fields = new Map<string, FieldType>()
  for (const column of columns) {
    if (column.type !== 'tag' && column.type !== 'time') fields.set(column.name, column.type)
  }

  return {
    name: table.name,
    tags: columns.filter((column) => column.type === 'tag').map((column) => column.name),
    fields,
  }
}

/** The role of `name`, honouring a `::tag` or `::field` cast; undefined when unknown. */
export function roleOf(
  schema: MeasurementSchema,
  name: string,
  cast: NameCast | undefined,
): NameRole | undefined {
  const type = schema.fields.get(name)
  if (type !== undefined && cast !== 'tag') return { role: 'field', type }
  if (schema.tags.includes(name) && cast !== 'field') return { role: 'tag' }
  return undefined
}

/** Whether values of `type` are numbers. */
export function isNumeric(type: FieldType): boolean {
  return type === 'float' || type === 'integer' || type === 'uinteger'
}

/** Byte-wise name order, as InfluxDB sorts columns and keys. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0
  return a < b ? -1 : 1
}
