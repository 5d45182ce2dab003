/** The reference's message when one more table would pass the table limit. */
export function tableLimitMessage(tables: number, limit: number): string {
  return (
    'Update to schema would exceed number of tables limit: attempted to create table but ' +
    `already have ${tables} table(s) (limit: ${limit})`
  )
}

/** The reference's message when a table would have more columns than allowed. */
export function columnLimitMessage(limit: number): string {
  return `Update to schema would exceed number of columns per table limit of ${limit} columns`
}
