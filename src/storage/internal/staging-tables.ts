import type { DuckDBConnection } from '@duckdb/node-api'

import type { AppendTarget } from './data-chunks.js'
import { rawTableName } from './sql-names.js'
import type { TableSchema } from './table-schema-store.js'

interface Stage {
  name: string
  /** The schema the staging table was laid out for; another one means it must be set up again. */
  schema: TableSchema | undefined
}

/**
 * One temporary table per user table, on the writer connection, where rows that may replace
 * stored points are appended before the commit's transaction starts, so that the transaction can
 * find the stored points they replace. Temporary tables are not logged: appending there outside a
 * transaction costs no sync.
 */
export class StagingTables {
  private readonly connection: DuckDBConnection
  private readonly stages = new Map<string, Stage>()

  constructor(connection: DuckDBConnection) {
    this.connection = connection
  }

  /** Gives each schema's table an empty staging table laid out as it; one query when needed. */
  async prepare(schemas: readonly TableSchema[]): Promise<void> {
    const stale = schemas.filter((schema) => this.stageOf(schema.name).schema !== schema)
    if (stale.length === 0) return

    await this.connection.run(stale.map((schema) => this.reset(schema.name)).join(';\n'))
    for (const schema of stale) this.stageOf(schema.name).schema = schema
  }

  /** Where the rows of `table` are appended. */
  target(table: string): AppendTarget {
    return { catalog: 'temp', schema: 'main', table: this.stageOf(table).name }
  }

  /** The qualified name of `table`'s staging table, for statements. */
  qualifiedName(table: string): string {
    return `temp.main.${this.stageOf(table).name}`
  }

  /**
   * The statement that replaces `table`'s staging table with an empty one laid out as the table
   * is now, which also frees the rows it held.
   */
  reset(table: string): string {
    const { name } = this.stageOf(table)
    return `CREATE OR REPLACE TEMP TABLE ${name} AS FROM ${rawTableName(table)} LIMIT 0`
  }

  /** Marks the staging tables of `tables` for setting up again, after a failed commit. */
  invalidate(tables: readonly string[]): void {
    for (const table of tables) this.stageOf(table).schema = undefined
  }

  // The name is a counter, not the table's name, which may hold any character.
  private stageOf(table: string): Stage {
    let stage = this.stages.get(table)
    if (stage === undefined) {
      stage = { name: `fluxgate_stage_${this.stages.size}`, schema: undefined }
      this.stages.set(table, stage)
    }

    return stage
  }
}
