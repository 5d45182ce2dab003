/**
 * The typed syntax tree of the InfluxQL statements Fluxgate runs. Every node keeps `pos`, the
 * 0-based character offset where it starts, so errors can point at it.
 */

/** A binary operator, in InfluxQL spelling (`<>` is read as `!=`). */
export type BinaryOperator =
  'AND' | 'OR' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~' | '+' | '-' | '*' | '/' | '%'

/** `::tag` or `::field` after a name; other casts are refused by the parser. */
export type NameCast = 'tag' | 'field'

/** An expression of a SELECT field or a WHERE condition. */
export type Expr =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'integer'; value: bigint; pos: number }
  | { kind: 'float'; value: number; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'duration'; nanos: bigint; pos: number }
  | { kind: 'regex'; pattern: string; pos: number }
  | { kind: 'param'; name: string; pos: number }
  | { kind: 'identifier'; name: string; cast: NameCast | undefined; pos: number }
  | { kind: 'wildcard'; cast: NameCast | undefined; pos: number }
  | { kind: 'call'; name: string; args: Expr[]; pos: number }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr; pos: number }

/** `FROM [db.[rp].]measurement`. */
export interface Source {
  database: string | undefined
  retentionPolicy: string | undefined
  measurement: string
  pos: number
}

/** One SELECT field and its `AS` name. */
export interface Field {
  expr: Expr
  alias: string | undefined
}

/** `fill(...)` of a GROUP BY time() query; InfluxDB 1.x fills with null by default. */
export type Fill =
  | { kind: 'null' }
  | { kind: 'none' }
  | { kind: 'previous' }
  | { kind: 'linear' }
  | { kind: 'number'; value: number }

/** `GROUP BY time(interval[, offset])`, both in nanoseconds. */
export interface TimeGrouping {
  interval: bigint
  offset: bigint
}

/** The GROUP BY clause: tags by name, all tags (`*`), and an optional time grouping. */
export interface Grouping {
  time: TimeGrouping | undefined
  tags: string[]
  allTags: boolean
}

/** A SELECT statement; `limit` and `offset` count points per series, `slimit` series. */
export interface SelectStatement {
  kind: 'select'
  fields: Field[]
  source: Source
  condition: Expr | undefined
  groupBy: Grouping
  fill: Fill
  descending: boolean
  limit: number | undefined
  offset: number | undefined
  slimit: number | undefined
  soffset: number | undefined
}

/** Which tag keys `SHOW TAG VALUES ... WITH KEY` asks for. */
export type KeyMatch =
  | { op: '=' | '!='; key: string }
  | { op: 'in'; keys: string[] }
  | { op: '=~' | '!~'; pattern: string }

/** What every SHOW statement may carry: `ON db`, `FROM`, `LIMIT`, `OFFSET`. */
export interface ShowScope {
  database: string | undefined
  source: Source | undefined
  limit: number | undefined
  offset: number | undefined
}

/** The SHOW statements Fluxgate answers. */
export type ShowStatement =
  | { kind: 'show-databases' }
  | ({ kind: 'show-retention-policies' } & ShowScope)
  | ({ kind: 'show-measurements' } & ShowScope)
  | ({ kind: 'show-tag-keys' } & ShowScope)
  | ({ kind: 'show-field-keys' } & ShowScope)
  | ({ kind: 'show-series' } & ShowScope)
  | ({ kind: 'show-tag-values'; key: KeyMatch } & ShowScope)

/** One parsed InfluxQL statement. */
export type Statement = SelectStatement | ShowStatement

/** The kind of a statement, as the v1 response shape needs it. */
export type StatementKind = Statement['kind']
