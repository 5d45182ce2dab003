import type { DuckDBConnection } from '@duckdb/node-api'

import { FluxgateError } from '../../errors/index.js'
import { invalidQuery } from './read-only-classifier.js'

/** What a query session needs from the database it runs in. */
export interface QueryHost {
  /** A new sandboxed connection of the database. */
  connect(): Promise<DuckDBConnection>
  /** Registers a running session so that closing the database stops it. */
  track(session: QuerySession): void
  /** Forgets a session that ended. */
  untrack(session: QuerySession): void
}

type SessionState = 'active' | 'ending' | 'idle' | 'closed'

/** Idle sessions kept per host; more concurrent queries than this open new connections. */
const idleLimit = 4

/** How often an interrupt is repeated while the call it targets has not settled. */
const interruptRepeatMs = 10

const idleSessions = new WeakMap<QueryHost, QuerySession[]>()

/**
 * One query on its own connection, inside a read-only transaction that is never committed. The
 * abort signal interrupts it; a stopped session ends its connection as soon as no DuckDB call is
 * in flight. An interrupt lasts until the call in flight settles (see `interrupt`).
 *
 * A session that ends cleanly (see `recycle`) parks its connection, outside any transaction, for
 * the next query of the same host, which then skips connecting and setting the connection up.
 * A parked session stays tracked, so closing the database closes its connection too.
 */
export class QuerySession {
  readonly connection: DuckDBConnection
  private readonly host: QueryHost
  private readonly signal: AbortSignal | undefined
  private readonly onAbort = (): void => this.interrupt()
  private state: SessionState = 'active'
  private inFlight = 0
  private repeatingInterrupt: NodeJS.Timeout | undefined
  private stopped = false
  private inTransaction = false
  private resolveReleased: () => void = () => undefined
  /** Settles once the session no longer holds its connection. */
  readonly whenReleased = new Promise<void>((resolve) => (this.resolveReleased = resolve))

  private constructor(connection: DuckDBConnection, host: QueryHost, signal?: AbortSignal) {
    this.connection = connection
    this.host = host
    this.signal = signal
  }

  /** Opens a session; throws ERR_QUERY_CANCELLED when `signal` has already fired. */
  static async start(host: QueryHost, signal?: AbortSignal): Promise<QuerySession> {
    throwIfAborted(signal)

    const connection = takeIdleConnection(host) ?? (await host.connect())
    const session = new QuerySession(connection, host, signal)
    host.track(session)
    signal?.addEventListener('abort', session.onAbort, { once: true })
    try {
      await session.guard(() => session.connection.run('BEGIN TRANSACTION READ ONLY'))
      session.inTransaction = true
    } catch (error) {
      session.release()
      throw error
    }

    return session
  }

  /**
   * Awaits a DuckDB call of this session. A call cut short by an abort or by closing the
   * database rejects with ERR_QUERY_CANCELLED or ERR_SHUTTING_DOWN, even when DuckDB reports the
   * interrupted stream as merely finished.
   */
  async guard<T>(call: () => Promise<T>): Promise<T> {
    this.throwIfStopped()

    this.inFlight++
    try {
      const value = await call()
      this.throwIfStopped()
      return value
    } catch (error) {
      throw this.failure(error)
    } finally {
      this.inFlight--
      if (this.inFlight === 0) this.stopInterrupting()
      if (this.stopped && this.inFlight === 0) this.close()
    }
  }

  /**
   * Ends the transaction after checking, in the same call, that nothing aborted it: DuckDB
   * refuses every statement of a transaction that a failure aborted, while ending one always
   * succeeds. Throws like `guard` when the transaction was aborted, and then leaves it open.
   */
  async endChecked(): Promise<void> {
    await this.guard(() => this.connection.run('SELECT 1; ROLLBACK'))
    this.inTransaction = false
  }

  /** The error to report for `error`, raised while this session ran. */
  failure(error: unknown): FluxgateError {
    if (error instanceof FluxgateError) return error
    if (this.stopped) return new FluxgateError('ERR_SHUTTING_DOWN', 'the database was closed')
    if (this.signal?.aborted === true) return cancelled()

    return invalidQuery(error)
  }

  /** Interrupts the query; the connection closes once no call is in flight. */
  stop(): void {
    if (this.state === 'closed') return

    this.stopped = true
    this.interrupt()
    if (this.inFlight === 0) this.close()
  }

  /**
   * Interrupts the DuckDB call in flight, and again every few milliseconds until it settles:
   * DuckDB drops an interrupt that comes before the statement starts executing, such as while the
   * call still waits for a pool thread, and the statement would then run to its end. The session
   * must not start another call afterwards; `guard` refuses to once the signal fired or `stop` ran.
   */
  interrupt(): void {
    if (this.state === 'closed') return

    this.connection.interrupt()
    if (this.inFlight === 0 || this.repeatingInterrupt !== undefined) return
    this.repeatingInterrupt = setInterval(() => this.connection.interrupt(), interruptRepeatMs)
    this.repeatingInterrupt.unref()
  }

  /**
   * Closes the connection, which also rolls the transaction back. Safe to call twice, and does
   * nothing once the session was recycled.
   */
  release(): void {
    if (this.state === 'active') this.close()
  }

  /**
   * Ends the session of a query that succeeded and keeps its connection for the next query. The
   * transaction, unless `endChecked` ended it, is rolled back first, off the caller's path; a
   * connection that cannot be reused is closed. A later `release` changes nothing.
   */
  recycle(): void {
    if (this.state !== 'active') return

    if (this.stopped || this.signal?.aborted === true) this.close()
    else if (this.inTransaction) this.rollBackThenPark()
    else this.park()
  }

  /** @internal Gives the connection of an idle session to a new one, without closing it. */
  handOver(): DuckDBConnection {
    if (this.state !== 'idle') throw new Error('only an idle session hands its connection over')

    this.unpark()
    this.finish()
    return this.connection
  }

  private rollBackThenPark(): void {
    this.state = 'ending'
    this.inFlight++
    void this.connection.run('ROLLBACK').then(
      () => this.afterEnding(true),
      () => this.afterEnding(false),
    )
  }

  private afterEnding(ended: boolean): void {
    this.inFlight--
    this.stopInterrupting()
    if (ended && !this.stopped) this.park()
    else this.close()
  }

  private park(): void {
    const idle = idleSessions.get(this.host) ?? []
    if (idle.length >= idleLimit) {
      this.close()
      return
    }

    this.state = 'idle'
    this.signal?.removeEventListener('abort', this.onAbort)
    idle.push(this)
    idleSessions.set(this.host, idle)
  }

  private close(): void {
    if (this.state === 'closed') return

    this.unpark()
    this.finish()
    this.connection.closeSync()
  }

  private unpark(): void {
    const idle = idleSessions.get(this.host)
    const at = idle?.indexOf(this) ?? -1
    if (at >= 0) idle?.splice(at, 1)
  }

  private stopInterrupting(): void {
    if (this.repeatingInterrupt === undefined) return

    clearInterval(this.repeatingInterrupt)
    this.repeatingInterrupt = undefined
  }

  private finish(): void {
    this.state = 'closed'
    this.stopInterrupting()
    this.signal?.removeEventListener('abort', this.onAbort)
    this.host.untrack(this)
    this.resolveReleased()
  }

  private throwIfStopped(): void {
    if (this.stopped) throw new FluxgateError('ERR_SHUTTING_DOWN', 'the database was closed')
    throwIfAborted(this.signal)
  }
}

// The most recently parked connection is the likeliest to still be in the CPU caches.
function takeIdleConnection(host: QueryHost): DuckDBConnection | undefined {
  return idleSessions.get(host)?.at(-1)?.handOver()
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw cancelled()
}

function cancelled(): FluxgateError {
  return new FluxgateError('ERR_QUERY_CANCELLED', 'the query was cancelled')
}
