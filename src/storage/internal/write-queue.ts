import { FluxgateError } from '../../errors/index.js'

/** What one group commit did; reported after it succeeds. */
export interface CommitReport {
  /** How many write calls shared the commit. */
  writes: number
  rows: number
  durationMs: number
}

/** How the queue stores writes and reports on it. */
export interface WriteQueueOptions<W> {
  /** Stores the writes, in order, in one transaction: all or none. */
  commit: (writes: readonly W[]) => Promise<void>
  onCommit: (report: CommitReport) => void
  /** A group stops growing once it holds this many rows (a single write may exceed it). */
  maxRowsPerCommit: number
}

interface Settle {
  resolve(): void
  reject(error: unknown): void
}

interface WriteTask<W> {
  kind: 'write'
  write: W
  rows: number
  settle: Settle
}

interface ExclusiveTask {
  kind: 'exclusive'
  run: () => Promise<void>
  settle: Settle
}

type Task<W> = WriteTask<W> | ExclusiveTask

/**
 * Serialises everything that changes a database. Writes that queue up while a commit runs are
 * committed together afterwards, so concurrent writers share one WAL flush. Other changes
 * (schema, retention, drops) run alone, in arrival order with the writes.
 */
export class WriteQueue<W> {
  private readonly options: WriteQueueOptions<W>
  private readonly tasks: Array<Task<W>> = []
  private draining: Promise<void> | undefined
  private closed = false

  constructor(options: WriteQueueOptions<W>) {
    this.options = options
  }

  /** Resolves once `write`, holding `rows` rows, is committed. */
  write(write: W, rows: number): Promise<void> {
    return this.enqueue((settle) => ({ kind: 'write', write, rows, settle }))
  }

  /** Runs `run` alone, after every task queued before it. */
  exclusive(run: () => Promise<void>): Promise<void> {
    return this.enqueue((settle) => ({ kind: 'exclusive', run, settle }))
  }

  /** Refuses new tasks and resolves once the queued ones are done. */
  async close(): Promise<void> {
    this.closed = true
    await this.draining
  }

  private enqueue(task: (settle: Settle) => Task<W>): Promise<void> {
    if (this.closed) {
      return Promise.reject(new FluxgateError('ERR_SHUTTING_DOWN', 'the database is closing'))
    }

    return new Promise<void>((resolve, reject) => {
      this.tasks.push(task({ resolve, reject }))
      this.draining ??= this.drain()
    })
  }

  private async drain(): Promise<void> {
    // Writes arriving in the same turn of the event loop join the first group.
    await new Promise((resolve) => setImmediate(resolve))

    for (let head = this.tasks[0]; head !== undefined; head = this.tasks[0]) {
      if (head.kind === 'exclusive') await this.runExclusive(head)
      else await this.commitGroup(this.takeWriteGroup())
    }
    this.draining = undefined
  }

  private async runExclusive(task: ExclusiveTask): Promise<void> {
    this.tasks.shift()
    await settleWith(task.settle, task.run())
  }

  private takeWriteGroup(): Array<WriteTask<W>> {
    const group: Array<WriteTask<W>> = []
    let rows = 0
    for (let head = this.tasks[0]; head?.kind === 'write'; head = this.tasks[0]) {
      if (group.length > 0 && rows + head.rows > this.options.maxRowsPerCommit) break
      group.push(head)
      rows += head.rows
      this.tasks.shift()
    }

    return group
  }

  // When a shared commit fails, each write is retried alone so that one cannot sink the others.
  private async commitGroup(group: Array<WriteTask<W>>): Promise<void> {
    const started = performance.now()
    try {
      await this.options.commit(group.map((task) => task.write))
    } catch (error) {
      if (group.length === 1) group[0]?.settle.reject(error)
      else for (const task of group) await this.commitGroup([task])
      return
    }

    for (const task of group) task.settle.resolve()

    const rows = group.reduce((sum, task) => sum + task.rows, 0)
    this.report({ writes: group.length, rows, durationMs: performance.now() - started })
  }

  // An observer that fails must not fail the writes it observes.
  private report(report: CommitReport): void {
    try {
      this.options.onCommit(report)
    } catch {
      // ignored on purpose
    }
  }
}

async function settleWith(settle: Settle, work: Promise<void>): Promise<void> {
  try {
    await work
    settle.resolve()
  } catch (error) {
    settle.reject(error)
  }
}
