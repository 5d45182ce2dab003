// Names repeat from line to line and from batch to batch, and so do most tag values. Handing out
// one string per spelling saves an allocation per name and lets later comparisons stop at the
// pointer. The caches are small and overwrite on collision, so their memory stays bounded.

const slotCount = 4096
const slotMask = slotCount - 1
// V8 copies slices shorter than this; longer ones point into the whole batch text.
const copiedSliceLength = 13
// Longer text is rarely repeated and would make the caches costly to hold.
const longestCached = 64

/** A bounded cache of strings, looked up by the hash of their text. */
export class StringCache {
  private readonly slots: Array<string | undefined> = new Array<string | undefined>(slotCount)

  /**
   * The string `text[start, end)`, shared with earlier calls that saw the same text. `hash` is
   * any hash of those characters, computed by the caller while it scanned them.
   */
  get(text: string, start: number, end: number, hash: number): string {
    const length = end - start
    if (length > longestCached) return text.slice(start, end)

    const slot = (hash ^ length) & slotMask
    const held = this.slots[slot]
    if (held !== undefined && held.length === length && spellsAt(text, start, held)) return held

    const fresh = detached(text.slice(start, end))
    this.slots[slot] = fresh
    return fresh
  }
}

/** True when `text` spells `part` from `start` on. */
export function spellsAt(text: string, start: number, part: string): boolean {
  // Comparing a short slice, which V8 copies, costs less than `startsWith`, whose generality
  // shows on short text; a longer slice would point into the text and compare slower.
  if (part.length < copiedSliceLength) return text.slice(start, start + part.length) === part

  return text.startsWith(part, start)
}

/** True when `StringCache.get` hands out strings as long as `name` from its slots. */
export function isShared(name: string): boolean {
  return name.length <= longestCached
}

/** One step of the hash `StringCache.get` expects, over one UTF-16 code unit. */
export function hashStep(hash: number, code: number): number {
  return (Math.imul(hash, 31) + code) | 0
}

// A cached slice of a long batch would keep the whole batch alive; flattening a concatenation
// makes V8 copy the characters into a string of their own.
function detached(slice: string): string {
  return slice.length < copiedSliceLength ? slice : ` ${slice}`.slice(1)
}

/** Measurements, tag keys and field keys. */
export const nameCache = new StringCache()

/** Tag values and short string field values. */
export const valueCache = new StringCache()
