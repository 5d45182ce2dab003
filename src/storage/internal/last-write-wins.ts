import type { WriteRow } from '../types.js'

/** The points of a batch by position: their times, and their tag values tag by tag. */
export interface PointColumns {
  readonly times: readonly bigint[]
  /** One list per tag of the table; a value that is not a string counts as absent. */
  readonly tags: ReadonlyArray<ReadonlyArray<unknown>>
}

/**
 * Keeps one row per tag set and time, as InfluxDB does: the fields of repeated points are merged,
 * the later value winning for each field. Returns `rows` itself when no point repeats, and
 * otherwise one merged row per point, placed where its last occurrence was.
 */
export function latestPerPoint(
  rows: readonly WriteRow[],
  tags: readonly string[],
): readonly WriteRow[] {
  return hasRepeatedPoint(rows, tags) ? mergeRepeated(rows, tags) : rows
}

/** Whether two of `rows` share a tag set and time. */
export function hasRepeatedPoint(rows: readonly WriteRow[], tags: readonly string[]): boolean {
  return hasRepeatedPointIn({
    times: rows.map((row) => row.time),
    tags: tags.map((tag) => rows.map((row) => row.tags[tag])),
  })
}

/**
 * Whether two points share a tag set and time. Hashes into a reused open-addressing table and
 * compares points only when they land on the same slot, so the usual case, no repeat,
 * allocates nothing.
 */
export function hasRepeatedPointIn(points: PointColumns): boolean {
  const count = points.times.length
  const slots = emptySlots(count)
  const mask = slots.length - 1
  for (let point = 0; point < count; point++) {
    let slot = pointHash(points, point) & mask
    for (let held = slots[slot] ?? -1; held !== -1; held = slots[slot] ?? -1) {
      if (samePoint(points, held, point)) return true
      slot = (slot + 1) & mask
    }
    slots[slot] = point
  }

  return false
}

function samePoint(points: PointColumns, a: number, b: number): boolean {
  if (points.times[a] !== points.times[b]) return false
  for (const values of points.tags) if (tagOf(values, a) !== tagOf(values, b)) return false

  return true
}

function tagOf(values: ReadonlyArray<unknown>, point: number): string | undefined {
  const value = values[point]
  return typeof value === 'string' ? value : undefined
}

// Reused between calls: the check runs on every write, synchronously, and should not feed the
// garbage collector. Kept at least twice as large as the rows, so probes stay short; tables for
// unusually large writes are not kept.
const keptSlots = 1 << 18
let slotTable = new Int32Array(1 << 12)

function emptySlots(rowCount: number): Int32Array {
  let size = slotTable.length
  while (size < rowCount * 2) size *= 2
  if (size > keptSlots) return new Int32Array(size).fill(-1)
  if (size !== slotTable.length) slotTable = new Int32Array(size)

  return slotTable.fill(-1)
}

const timeBits = new Float64Array(1)
const timeWords = new Uint32Array(timeBits.buffer)

// FNV-1a over the time (as a double: equal times hash alike, close ones may collide and are
// then told apart exactly) and each tag value, absent tags included.
function pointHash(points: PointColumns, point: number): number {
  timeBits[0] = Number(points.times[point] ?? 0n)
  let hash = mix(mix(0x811c9dc5, timeWords[0] ?? 0), timeWords[1] ?? 0)
  for (const values of points.tags) {
    const value = tagOf(values, point)
    if (value === undefined) {
      hash = mix(hash, 0xffff_ffff)
      continue
    }
    for (let at = 0; at < value.length; at++) hash = mix(hash, value.charCodeAt(at))
    hash = mix(hash, 0xfffe_fffe)
  }

  return hash >>> 0
}

function mix(hash: number, value: number): number {
  return Math.imul(hash ^ value, 0x01000193)
}

function mergeRepeated(rows: readonly WriteRow[], tags: readonly string[]): WriteRow[] {
  const keys = rows.map((row) => pointKey(row, tags))
  const lastIndex = new Map<string, number>()
  keys.forEach((key, index) => lastIndex.set(key, index))

  const merged = new Map<string, WriteRow>()
  const survivors: WriteRow[] = []
  rows.forEach((row, index) => {
    const key = keys[index] ?? ''
    const earlier = merged.get(key)
    const current =
      earlier === undefined ? row : { ...row, fields: { ...earlier.fields, ...row.fields } }
    merged.set(key, current)
    if (lastIndex.get(key) === index) survivors.push(current)
  })

  return survivors
}

// Each tag adds `|<length>:<value>`, or a bare `|` when absent: no two tag sets share a key,
// whatever characters their values hold.
function pointKey(row: WriteRow, tags: readonly string[]): string {
  let key = row.time.toString()
  for (const tag of tags) {
    const value = row.tags[tag]
    key += value === undefined ? '|' : `|${value.length}:${value}`
  }

  return key
}
