import { DuckDBDataChunkWriter, JSToDuckDBValueConverter } from '@duckdb/node-api'
import type { DuckDBConnection } from '@duckdb/node-api'

import { SYSTEM_SCHEMA } from '../layout.js'
import type { SystemTable } from '../system-table.js'
import { sqlIdentifier } from './sql-names.js'
import { inTransaction } from './transaction.js'

/**
 * Replaces a system table with `table`'s rows in one transaction. The rows go in through the
 * appender: as SQL text, 10,000 audit rows took most of a second to parse on every query of
 * `_internal`.
 */
export async function writeSystemTable(
  connection: DuckDBConnection,
  table: SystemTable,
): Promise<void> {
  const name = `${SYSTEM_SCHEMA}.${sqlIdentifier(table.name)}`
  const columns = table.columns.map((c) => `${sqlIdentifier(c.name)} ${c.type}`).join(', ')

  await inTransaction(connection, async () => {
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${SYSTEM_SCHEMA}`)
    await connection.run(`CREATE OR REPLACE TABLE ${name} (${columns})`)
    const appender = await connection.createAppender(table.name, SYSTEM_SCHEMA, null)
    try {
      const writer = DuckDBDataChunkWriter.forAppender(appender, {
        converter: JSToDuckDBValueConverter,
      })
      for (const row of table.rows) writer.appendRow(row)
      writer.flush()
    } finally {
      appender.closeSync()
    }
  })
}
