import type { QueryParams } from '../../storage/index.js'

/**
 * Collects the values a generated statement binds, and names their placeholders `$p1`, `$p2`…
 * User values only ever reach DuckDB this way, never as SQL text.
 */
export class SqlParams {
  readonly values: QueryParams = {}
  #count = 0

  /** The placeholder for `value`. */
  bind(value: string | number | boolean): string {
    this.#count++
    const name = `p${this.#count}`
    this.values[name] = value
    return `$${name}`
  }
}
