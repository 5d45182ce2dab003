import Database from 'better-sqlite3'

/** A time as the catalog stores it: integer milliseconds since the epoch, null for none. */
export function millisOrNull(at: Date | undefined): number | null {
  return at === undefined ? null : at.getTime()
}

/** The inverse of `millisOrNull`. */
export function dateOrUndefined(millis: number | null): Date | undefined {
  return millis === null ? undefined : new Date(millis)
}

/** SQL NULL read back as undefined. */
export function orUndefined<T>(value: T | null): T | undefined {
  return value ?? undefined
}

/** True when `error` is SQLite refusing a row for breaking a constraint of this kind. */
export function isConstraintError(
  error: unknown,
  kind: 'PRIMARYKEY' | 'UNIQUE' | 'FOREIGNKEY',
): boolean {
  return error instanceof Database.SqliteError && error.code === `SQLITE_CONSTRAINT_${kind}`
}
