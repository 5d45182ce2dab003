import type { Level } from 'pino'

/**
 * The level of each line the HTTP layer writes by itself. Kept in one place so operators know
 * what `--log-filter info` shows.
 */
export const logPolicy = {
  /** A request answered below 500. */
  requestCompleted: 'debug',
  /** A request answered with a client error worth seeing while setting things up. */
  requestRejected: 'info',
  /** A fault of the server: logged with the cause. */
  requestFailed: 'error',
} satisfies Record<string, Level>
