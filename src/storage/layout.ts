/**
 * Where things live inside a database's DuckDB file. User tables are views in USER_SCHEMA that
 * show the columns sorted by name; the rows themselves live in RAW_SCHEMA.
 */
export const USER_SCHEMA = 'iox'

/** The private schema holding the stored rows behind the user-facing views. */
export const RAW_SCHEMA = 'fluxgate_raw'

/**
 * The schema of system tables such as `tokens`. DuckDB reserves the name `system` for a catalog
 * of its own, so queries that say `system.tokens` are rewritten to this schema.
 */
export const SYSTEM_SCHEMA = 'iox_system'
