import type { DuckDBConnection } from '@duckdb/node-api'

import { FluxgateError } from '../../errors/index.js'
import { RAW_SCHEMA } from '../layout.js'
import { appendChunks } from './data-chunks.js'
import { mergePrepared } from './prepared-rows.js'
import type { TableRows } from './prepared-rows.js'
import { rawTableName, sqlIdentifier, sqlTimestampNanos } from './sql-names.js'
import type { TableSchemaStore } from './table-schema-store.js'
import { inTransaction } from './transaction.js'

const stage = 'fluxgate_stage'
const stageName = `temp.main.${stage}`

/**
 * Commits prepared writes in one transaction, the last write winning on an identical table, tag
 * set and time. Rows newer than everything stored are appended as they are; others replace the
 * stored points they collide with.
 */
export class RowsCommitter {
  private readonly connection: DuckDBConnection
  private readonly schemas: TableSchemaStore
  // The latest time stored per table (null: no rows), learned on its first write. Retention and
  // drops can only make it an overestimate, which stays safe.
  private readonly latestTimes = new Map<string, bigint | null>()

  constructor(connection: DuckDBConnection, schemas: TableSchemaStore) {
    this.connection = connection
    this.schemas = schemas
  }

  /** Stores the writes, in order, all or none. */
  async commit(writes: readonly (readonly TableRows[])[]): Promise<void> {
    const learned = new Map<string, bigint>()
    await inTransaction(this.connection, async () => {
      for (const [table, parts] of partsByTable(writes)) {
        learned.set(table, await this.writeTable(table, parts))
      }
    })

    for (const [table, latest] of learned) this.latestTimes.set(table, latest)
  }

  /** Forgets what is known about `table`, after it was dropped. */
  forget(table: string): void {
    this.latestTimes.delete(table)
  }

  private async writeTable(table: string, parts: readonly TableRows[]): Promise<bigint> {
    const schema = this.schemas.get(table)
    if (schema === undefined) throw new FluxgateError('ERR_INTERNAL', `no table ${table}`)

    const batch = mergePrepared(parts, schema)
    const stored = await this.latestStoredTime(table)
    if (stored === null || batch.min > stored) {
      await appendChunks(
        this.connection,
        { catalog: null, schema: RAW_SCHEMA, table },
        batch.chunks,
      )
    } else {
      await this.replaceRows(batch)
    }

    return stored === null || batch.max > stored ? batch.max : stored
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

  // Stages the rows, completes them with the stored fields they leave out, deletes the stored
  // points they collide with, then inserts them.
  private async replaceRows(batch: TableRows): Promise<void> {
    const raw = rawTableName(batch.schema.name)
    const staging = { catalog: 'temp', schema: 'main', table: stage }
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${stage} AS FROM ${raw} LIMIT 0`)
    await appendChunks(this.connection, staging, batch.chunks)

    const fill = fillOmittedFields(batch)
    if (fill !== undefined) await this.connection.run(fill)
    await this.connection.run(deleteCollisions(batch))
    await this.connection.run(`INSERT INTO ${raw} FROM ${stageName}`)
    await this.connection.run(`DROP TABLE ${stageName}`)
  }
}

// A field a rewrite leaves out keeps its stored value, as InfluxDB merges the field sets.
function fillOmittedFields(batch: TableRows): string | undefined {
  const fields = batch.schema.columns.filter(({ type }) => type !== 'tag' && type !== 'time')
  const omits = batch.rows.some((row) => fields.some(({ name }) => row.fields[name] === undefined))
  if (!omits) return undefined

  const assignments = fields.map(({ name }) => {
    const column = sqlIdentifier(name)
    return `${column} = coalesce(staged.${column}, stored.${column})`
  })
  return `UPDATE ${stageName} AS staged SET ${assignments.join(', ')}
    FROM ${rawTableName(batch.schema.name)} AS stored WHERE ${samePoint(batch)}`
}

function deleteCollisions(batch: TableRows): string {
  return `DELETE FROM ${rawTableName(batch.schema.name)} AS stored USING ${stageName} AS staged
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
