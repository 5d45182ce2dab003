import type { DuckDBConnection } from '@duckdb/node-api'

import { FluxgateError } from '../../errors/index.js'
import { RAW_SCHEMA } from '../layout.js'
import { appendChunks } from './data-chunks.js'
import { mergePrepared } from './prepared-rows.js'
import type { TableRows } from './prepared-rows.js'
import { rawTableName, sqlIdentifier, sqlTimestampNanos } from './sql-names.js'
import { StagingTables } from './staging-tables.js'
import type { TableSchema, TableSchemaStore } from './table-schema-store.js'
import { inScriptedTransaction } from './transaction.js'

/** The rows of one table in a commit, and whether they may collide with stored points. */
interface TableWrite {
  batch: TableRows
  /** The latest time stored before the commit; null when the table holds no row. */
  stored: bigint | null
  replacing: boolean
}

/**
 * Commits prepared writes in one transaction, the last write winning on an identical table, tag
 * set and time. Rows newer than everything stored are appended as they are. Others may collide
 * with stored points: they are staged first, outside the transaction, so that the stored points
 * they collide with can be found and deleted before they are appended.
 */
export class RowsCommitter {
  private readonly connection: DuckDBConnection
  private readonly schemas: TableSchemaStore
  private readonly stages: StagingTables
  // The latest time stored per table (null: no rows), learned on its first write. Retention and
  // drops can only make it an overestimate, which stays safe.
  private readonly latestTimes = new Map<string, bigint | null>()

  constructor(connection: DuckDBConnection, schemas: TableSchemaStore) {
    this.connection = connection
    this.schemas = schemas
    this.stages = new StagingTables(connection)
  }

  /** Stores the writes, in order, all or none. */
  async commit(writes: readonly (readonly TableRows[])[]): Promise<void> {
    const tables = await this.tableWrites(writes)
    const replacing = tables.filter((table) => table.replacing)
    const staged = replacing.map((table) => table.batch.schema.name)

    try {
      await this.stage(replacing)
      await inScriptedTransaction(this.connection, {
        before: replacing.flatMap((table) => this.replacements(table.batch)),
        work: () => this.appendAll(tables),
        after: staged.map((table) => this.stages.reset(table)),
      })
    } catch (error) {
      this.stages.invalidate(staged)
      throw error
    }

    for (const table of tables) this.learn(table)
  }

  /** Forgets what is known about `table`, after it was dropped. */
  forget(table: string): void {
    this.latestTimes.delete(table)
    this.stages.invalidate([table])
  }

  private async tableWrites(writes: readonly (readonly TableRows[])[]): Promise<TableWrite[]> {
    const tables: TableWrite[] = []
    for (const [table, parts] of partsByTable(writes)) {
      const batch = mergePrepared(parts, this.schemaOf(table))
      const stored = await this.latestStoredTime(table)
      tables.push({ batch, stored, replacing: stored !== null && batch.min <= stored })
    }

    return tables
  }

  private schemaOf(table: string): TableSchema {
    const schema = this.schemas.get(table)
    if (schema === undefined) throw new FluxgateError('ERR_INTERNAL', `no table ${table}`)

    return schema
  }

  // Staging tables are temporary, so appending to them outside the transaction costs no sync.
  private async stage(tables: readonly TableWrite[]): Promise<void> {
    await this.stages.prepare(tables.map((table) => table.batch.schema))
    for (const { batch } of tables) {
      await appendChunks(this.connection, this.stages.target(batch.schema.name), batch.chunks)
    }
  }

  // Rows that leave fields out are completed from the stored points first, and then inserted
  // from the staging table instead of appended.
  private replacements(batch: TableRows): string[] {
    const staged = this.stages.qualifiedName(batch.schema.name)
    const fill = fillOmittedFields(batch, staged)
    const deletion = deleteCollisions(batch, staged)
    if (fill === undefined) return [deletion]

    return [fill, deletion, `INSERT INTO ${rawTableName(batch.schema.name)} FROM ${staged}`]
  }

  private async appendAll(tables: readonly TableWrite[]): Promise<void> {
    for (const { batch, replacing } of tables) {
      if (replacing && batch.omitsFields) continue

      const target = { catalog: null, schema: RAW_SCHEMA, table: batch.schema.name }
      await appendChunks(this.connection, target, batch.chunks)
    }
  }

  private learn({ batch, stored }: TableWrite): void {
    const latest = stored === null || batch.max > stored ? batch.max : stored
    this.latestTimes.set(batch.schema.name, latest)
  }

  private async latestStoredTime(table: string): Promise<bigint | null> {
    const known = this.latestTimes.get(table)
    if (known !== undefined) return known

    const reader = await this.connection.runAndReadAll(
      `SELECT epoch_ns(max("time")) FROM ${rawTableName(table)}`,
    )
    const value = reader.getRows()[0]?.[0]
    return typeof value === 'bigint' ? value : null
  }
}

// A field a rewrite leaves out keeps its stored value, as InfluxDB merges the field sets.
function fillOmittedFields(batch: TableRows, staged: string): string | undefined {
  if (!batch.omitsFields) return undefined

  const fields = batch.schema.columns.filter(({ type }) => type !== 'tag' && type !== 'time')
  const assignments = fields.map(({ name }) => {
    const column = sqlIdentifier(name)
    return `${column} = coalesce(staged.${column}, stored.${column})`
  })
  return `UPDATE ${staged} AS staged SET ${assignments.join(', ')}
    FROM ${rawTableName(batch.schema.name)} AS stored WHERE ${samePoint(batch)}`
}

function deleteCollisions(batch: TableRows, staged: string): string {
  return `DELETE FROM ${rawTableName(batch.schema.name)} AS stored USING ${staged} AS staged
    WHERE ${samePoint(batch)}`
}

// The time bounds let DuckDB skip row groups by their zone maps before joining.
function samePoint(batch: TableRows): string {
  const sameTags = batch.schema.tags.map((tag) => {
    const name = sqlIdentifier(tag)
    return `AND stored.${name} IS NOT DISTINCT FROM staged.${name}`
  })
  const from = sqlTimestampNanos(batch.min)
  const to = sqlTimestampNanos(batch.max)

  return `stored."time" BETWEEN ${from} AND ${to} AND stored."time" = staged."time"
    ${sameTags.join(' ')}`
}

function partsByTable(writes: readonly (readonly TableRows[])[]): Map<string, TableRows[]> {
  const byTable = new Map<string, TableRows[]>()
  for (const part of writes.flat()) {
    const parts = byTable.get(part.schema.name)
    if (parts === undefined) byTable.set(part.schema.name, [part])
    else parts.push(part)
  }

  return byTable
}
