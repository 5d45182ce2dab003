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

/**
 * One query on its own connection, inside a read-only transaction that is never committed. The
 * abort signal interrupts it; a stopped session ends its connection as soon as no DuckDB call is
 * in flight.
 */
export class QuerySession {
  readonly connection: DuckDBConnection
  private readonly host: QueryHost
  private readonly signal: AbortSignal | undefined
  private readonly interrupt = (): void => this.connection.interrupt()
  private inFlight = 0
  private stopped = false
  private released = false
  private resolveReleased: () => void = () => undefined
  /** Settles once the connection is closed. */
  readonly whenReleased = new Promise<void>((resolve) => (this.resolveReleased = resolve))

  private constructor(connection: DuckDBConnection, host: QueryHost, signal?: AbortSignal) {
    this.connection = connection
    this.host = host
    this.signal = signal
  }

  /** Opens a session; throws ERR_QUERY_CANCELLED when `signal` has already fired. */
  static async start(host: QueryHost, signal?: AbortSignal): Promise<QuerySession> {
    throwIfAborted(signal)

    const session = new QuerySession(await host.connect(), host, signal)
    host.track(session)
    signal?.addEventListener('abort', session.interrupt, { once: true })
    try {
      await session.guard(() => session.connection.run('BEGIN TRANSACTION READ ONLY'))
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
      if (this.stopped && this.inFlight === 0) this.release()
    }
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
    if (this.released) return

    this.stopped = true
    this.connection.interrupt()
    if (this.inFlight === 0) this.release()
  }

  /** Closes the connection, which also rolls the transaction back. Safe to call twice. */
  release(): void {
    if (this.released) return

    this.released = true
    this.signal?.removeEventListener('abort', this.interrupt)
    this.host.untrack(this)
    this.connection.closeSync()
    this.resolveReleased()
  }

  private throwIfStopped(): void {
    if (this.stopped) throw new FluxgateError('ERR_SHUTTING_DOWN', 'the database was closed')
    throwIfAborted(this.signal)
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw cancelled()
}

function cancelled(): FluxgateError {
  return new FluxgateError('ERR_QUERY_CANCELLED', 'the query was cancelled')
}
