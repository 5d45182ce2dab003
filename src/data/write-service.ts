import type { DatabaseRecord } from '../catalog/index.js'
import { assertValidDatabaseName } from '../catalog/index.js'
import { FluxgateError } from '../errors/index.js'
import type { LineBatch, LineError, LineParserPool, Precision } from '../lineprotocol/index.js'
import {
  defaultTimestamp,
  timestampOutOfRangeMessage,
  toNanoseconds,
} from '../lineprotocol/index.js'
import type { Clock } from '../shared/index.js'
import type { DatabaseService } from './database-service.js'
import type { BatchTimestampResolver, SchemaChanges, ValidatedBatch } from './schema-validator.js'
import { validateBatch } from './schema-validator.js'
import { KeyedMutex } from './keyed-mutex.js'

/** A line-protocol write as the HTTP routes hand it over. */
export interface WriteRequest {
  database: string
  body: string
  precision: Precision
  /** True: store the good lines and report the bad ones. False: one bad line rejects all. */
  acceptPartial: boolean
  /** False only for `no_sync=true`. */
  sync: boolean
}

/** What a write stored and what it refused. */
export interface WriteOutcome {
  linesWritten: number
  rejected: LineError[]
}

/**
 * Parses, validates and stores line protocol: database auto-creation, schema on write, field
 * type checks and limits. A write that is refused as a whole changes nothing.
 */
export class WriteService {
  readonly #databases: DatabaseService
  readonly #clock: Clock
  readonly #parser: LineParserPool
  readonly #schemaLock = new KeyedMutex()

  constructor(databases: DatabaseService, clock: Clock, parser: LineParserPool) {
    this.#databases = databases
    this.#clock = clock
    this.#parser = parser
  }

  /**
   * Throws ERR_WRITE_EMPTY when there is no line, ERR_LINE_PROTOCOL (strict mode) with the first
   * bad line as data, and the catalog's errors for a database that cannot be created.
   */
  async write(request: WriteRequest): Promise<WriteOutcome> {
    if (this.#databases.catalog.findDatabase(request.database) === undefined) {
      assertValidDatabaseName(request.database)
    }

    const batch = await this.#parser.parse(request.body)
    if (batch.lineCount === 0 && batch.errors.length === 0) {
      throw new FluxgateError('ERR_WRITE_EMPTY', 'incoming write was empty')
    }

    const resolveTime = timestampResolver(this.#clock.nowNanos(), request.precision)
    const validated = this.#validate(request.database, batch, resolveTime)
    const rejected = sortByLine([...batch.errors, ...validated.errors])
    if (!request.acceptPartial) assertNoRejects(rejected)
    if (validated.rowCount === 0) return { linesWritten: 0, rejected }

    const db = this.#databaseFor(request.database)
    if (!hasChanges(validated.changes)) return await this.#store(db, validated, rejected, request)

    const revalidated = await this.#applySchema(db, batch, resolveTime, request.acceptPartial)
    const allRejected = sortByLine([...batch.errors, ...revalidated.errors])
    return await this.#store(db, revalidated, allRejected, request)
  }

  // Nothing of the parsed batch is kept while the rows wait for their commit, so that it can be
  // collected young.
  async #store(
    db: DatabaseRecord,
    validated: ValidatedBatch,
    rejected: LineError[],
    request: WriteRequest,
  ): Promise<WriteOutcome> {
    const outcome = { linesWritten: validated.rowCount, rejected }
    const storage = await this.#databases.storageOf(db)
    await storage.writeColumns(validated.tables, { sync: request.sync })

    return outcome
  }

  #validate(database: string, batch: LineBatch, resolveTime: BatchTimestampResolver) {
    const db = this.#databases.catalog.findDatabase(database)
    return validateBatch(batch, this.#databases.catalog, db?.id, resolveTime)
  }

  /** Finds the database, creating it on first write. */
  #databaseFor(name: string): DatabaseRecord {
    return this.#databases.catalog.findDatabase(name) ?? this.#databases.createDatabase(name)
  }

  /**
   * Validates again under the database's schema lock, so concurrent writes that add the same
   * column agree on its type, then adds the new tables and columns to storage and catalog.
   */
  async #applySchema(
    db: DatabaseRecord,
    batch: LineBatch,
    resolveTime: BatchTimestampResolver,
    acceptPartial: boolean,
  ): Promise<ValidatedBatch> {
    return this.#schemaLock.run(String(db.id), async () => {
      const validated = validateBatch(batch, this.#databases.catalog, db.id, resolveTime)
      if (!acceptPartial) assertNoRejects(validated.errors)

      const storage = await this.#databases.storageOf(db)
      const catalog = this.#databases.catalog
      for (const [table, columns] of validated.changes.newTables) {
        await storage.ensureColumns(table, columns)
        catalog.createTable(db.id, table, columns)
      }
      for (const [table, columns] of validated.changes.newColumns) {
        const record = catalog.findTable(db.id, table)
        if (record === undefined) continue
        await storage.ensureColumns(table, columns)
        catalog.addColumns(record, columns)
      }
      return validated
    })
  }
}

// Lines of a batch mostly share their timestamp, so the last conversion is kept.
function timestampResolver(nowNanos: bigint, precision: Precision): BatchTimestampResolver {
  const fallback = defaultTimestamp(nowNanos, precision)
  let written: bigint | undefined
  let resolved: bigint | string = fallback
  return (timestamp) => {
    if (timestamp === undefined) return fallback
    if (timestamp === written) return resolved

    written = timestamp
    resolved =
      toNanoseconds(timestamp, precision) ?? timestampOutOfRangeMessage(timestamp, precision)
    return resolved
  }
}

function hasChanges(changes: SchemaChanges): boolean {
  return changes.newTables.size > 0 || changes.newColumns.size > 0
}

function sortByLine(errors: LineError[]): LineError[] {
  return errors.sort((a, b) => a.lineNumber - b.lineNumber)
}

function assertNoRejects(rejected: LineError[]): void {
  const first = rejected[0]
  if (first === undefined) return
  throw new FluxgateError('ERR_LINE_PROTOCOL', first.message, { data: first })
}
