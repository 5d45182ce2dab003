import { rm } from 'node:fs/promises'

import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'

import { FluxgateError } from '../../errors/index.js'
import type { DatabaseStorage, QueryParams, WriteOptions } from '../storage-engine.js'
import type { SystemTable } from '../system-table.js'
import type { ColumnDef, QueryResult, TableColumns, WriteRow } from '../types.js'
import { exportParquet } from './parquet-export.js'
import { runQuery } from './query-runner.js'
import type { QueryHost, QuerySession } from './query-session.js'
import { prepareColumns, prepareWrite } from './prepared-rows.js'
import type { TableRows } from './prepared-rows.js'
import { checkColumns, checkRows } from './row-validator.js'
import { RowsCommitter } from './rows-committer.js'
import { connectSandboxed, openSandboxedInstance } from './sandboxed-instance.js'
import type { InstanceResources } from './sandboxed-instance.js'
import { rawTableName, sqlTimestampNanos } from './sql-names.js'
import type { DatabasePaths } from './storage-paths.js'
import { TableSchemaStore } from './table-schema-store.js'
import { writeSystemTable } from './system-table-writer.js'
import { runInTransaction } from './transaction.js'
import { WriteQueue } from './write-queue.js'
import type { CommitReport } from './write-queue.js'

/** What the engine hands to each database it opens. */
export interface DatabaseSetup {
  paths: DatabasePaths
  /** Whether closing removes the folder (memory mode keeps nothing). */
  temporary: boolean
  /** A group commit stops growing at this many rows. */
  maxRowsPerCommit: number
  /** The memory and threads its DuckDB instance may use. */
  resources: InstanceResources
  onCommit: (report: CommitReport) => void
  /** A write that resolved before its commit (`sync: false`) failed to commit. */
  onBackgroundError: (error: unknown) => void
  /** Called once the database is closed. */
  onClosed: () => void
}

/** The storage of one database: one DuckDB instance, one writer connection, queries apart. */
export class DuckDBDatabaseStorage implements DatabaseStorage, QueryHost {
  private readonly instance: DuckDBInstance
  private readonly writer: DuckDBConnection
  private readonly schemas: TableSchemaStore
  private readonly committer: RowsCommitter
  private readonly queue: WriteQueue<TableRows[]>
  private readonly setup: DatabaseSetup
  private readonly sessions = new Set<QuerySession>()
  private closing: Promise<void> | undefined
  /** The latest commit a `sync: false` write did not wait for; queries wait for it, so a read
   * right after an acknowledged write always sees it. */
  private unsynced: Promise<void> | undefined

  private constructor(
    instance: DuckDBInstance,
    writer: DuckDBConnection,
    schemas: TableSchemaStore,
    setup: DatabaseSetup,
  ) {
    this.instance = instance
    this.writer = writer
    this.schemas = schemas
    this.setup = setup
    this.committer = new RowsCommitter(writer, schemas)
    this.queue = new WriteQueue<TableRows[]>({
      commit: (writes) => this.committer.commit(writes),
      onCommit: setup.onCommit,
      maxRowsPerCommit: setup.maxRowsPerCommit,
    })
  }

  /** Opens the database at `setup.paths`, sandboxed, with its schema loaded. */
  static async open(setup: DatabaseSetup): Promise<DuckDBDatabaseStorage> {
    const instance = await openSandboxedInstance(setup.paths, setup.resources)
    try {
      const writer = await connectSandboxed(instance)
      const schemas = await TableSchemaStore.load(writer)
      return new DuckDBDatabaseStorage(instance, writer, schemas, setup)
    } catch (error) {
      instance.closeSync()
      throw error
    }
  }

  ensureColumns(table: string, columns: ColumnDef[]): Promise<void> {
    return this.queue.exclusive(() => this.schemas.ensureColumns(this.writer, table, columns))
  }

  async write(rows: WriteRow[], options: WriteOptions): Promise<void> {
    this.throwIfClosing()
    checkRows(rows, this.schemas)
    if (rows.length === 0) return

    await this.enqueue(prepareWrite(rows, this.schemas), rows.length, options)
  }

  async writeColumns(tables: readonly TableColumns[], options: WriteOptions): Promise<void> {
    this.throwIfClosing()
    checkColumns(tables, this.schemas)
    const rows = tables.reduce((sum, table) => sum + table.time.length, 0)
    if (rows === 0) return

    await this.enqueue(prepareColumns(tables, this.schemas), rows, options)
  }

  async query(sql: string, params: QueryParams, signal?: AbortSignal): Promise<QueryResult> {
    this.throwIfClosing()
    await this.unsynced
    return await runQuery(this, this.schemas, sql, params, signal)
  }

  async queryParquet(sql: string, params: QueryParams, signal?: AbortSignal): Promise<Uint8Array> {
    this.throwIfClosing()
    await this.unsynced
    return await exportParquet(this, this.setup.paths.scratchDir, sql, params, signal)
  }

  replaceSystemTable(table: SystemTable): Promise<void> {
    return this.queue.exclusive(() => writeSystemTable(this.writer, table))
  }

  dropTable(table: string): Promise<void> {
    return this.queue.exclusive(async () => {
      await this.schemas.drop(this.writer, table)
      this.committer.forget(table)
    })
  }

  deleteOlderThan(cutoffNanos: bigint): Promise<void> {
    const cutoff = sqlTimestampNanos(cutoffNanos)
    return this.queue.exclusive(() => {
      const deletes = this.schemas
        .names()
        .map((table) => `DELETE FROM ${rawTableName(table)} WHERE "time" < ${cutoff}`)
      return runInTransaction(this.writer, deletes)
    })
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown()
    return this.closing
  }

  /** @internal A new sandboxed connection for one query. */
  async connect(): Promise<DuckDBConnection> {
    this.throwIfClosing()
    return await connectSandboxed(this.instance)
  }

  /** @internal */
  track(session: QuerySession): void {
    this.sessions.add(session)
  }

  /** @internal */
  untrack(session: QuerySession): void {
    this.sessions.delete(session)
  }

  // Pending writes commit first; running queries are interrupted and their connections end
  // before the instance does.
  private async shutDown(): Promise<void> {
    await this.queue.close()

    const sessions = [...this.sessions]
    for (const session of sessions) session.stop()
    await Promise.all(sessions.map((session) => session.whenReleased))

    this.writer.closeSync()
    this.instance.closeSync()
    if (this.setup.temporary) await rm(this.setup.paths.rootDir, { recursive: true, force: true })
    this.setup.onClosed()
  }

  private enqueue(prepared: TableRows[], rows: number, options: WriteOptions): Promise<void> {
    const committed = this.queue.write(prepared, rows)
    if (options.sync) return committed

    committed.catch(this.setup.onBackgroundError)
    this.unsynced = committed.catch(() => undefined)
    return Promise.resolve()
  }

  private throwIfClosing(): void {
    if (this.closing !== undefined) {
      throw new FluxgateError('ERR_SHUTTING_DOWN', 'the database is closing')
    }
  }
}
