import type { LineCursor } from './line-cursor.js'
import { isShared, nameCache, spellsAt } from './name-cache.js'
import type { NameRule } from './name-reader.js'
import {
  FIELD_KEY,
  MEASUREMENT,
  TAG_KEY,
  endsPlainName,
  isPlainName,
  readName,
} from './name-reader.js'

// A line with more names than this is rare enough to read its further names in full; the
// bound keeps the lists small, since they outlive the batch.
const MOST_PLACES = 64

/**
 * Reads names of one kind, measurements, tag keys or field keys, knowing the name the
 * latest line held at each place. Lines mostly repeat them, and checking that the text
 * spells a known name costs less than reading a name and looking it up in the cache.
 */
export class RepeatedNames {
  private readonly rule: NameRule
  // Only names read without an escape are kept, which text spelling them reads back to,
  // and only those the name cache hands out, so that none is a piece of a batch's text.
  private readonly names: Array<string | undefined> = []

  constructor(rule: NameRule) {
    this.rule = rule
  }

  /**
   * Reads the name at the cursor, the `place`th of its kind in the line counting from 0,
   * and answers as `readName` does.
   */
  read(cursor: LineCursor, place: number): string | undefined {
    const known = this.names[place]
    if (known !== undefined && this.spells(cursor, known)) {
      cursor.pos += known.length
      return known
    }

    const name = readName(cursor, this.rule, nameCache)
    if (name !== undefined && place < MOST_PLACES) this.names[place] = this.keepable(name)
    return name
  }

  // The text must spell the name and then end it, without a backslash that would escape
  // the next character instead.
  private spells(cursor: LineCursor, name: string): boolean {
    const after = cursor.pos + name.length
    return (
      after <= cursor.end &&
      spellsAt(cursor.text, cursor.pos, name) &&
      endsPlainName(cursor.codeAt(after), this.rule)
    )
  }

  private keepable(name: string): string | undefined {
    return isShared(name) && isPlainName(name, this.rule) ? name : undefined
  }
}

/** The measurements of all batches. */
export const measurementNames = new RepeatedNames(MEASUREMENT)

/** The tag keys of all batches. */
export const tagKeyNames = new RepeatedNames(TAG_KEY)

/** The field keys of all batches. */
export const fieldKeyNames = new RepeatedNames(FIELD_KEY)
