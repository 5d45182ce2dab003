import type { FieldType, FieldValue, LineBatch, LineError } from './types.js'

/**
 * A parsed batch packed for another thread: names and string values are numbered in one
 * dictionary, everything else sits in typed arrays whose buffers move to the receiver without a
 * copy. Receiving it costs a fraction of parsing the text again; structured cloning the batch's
 * arrays of strings and bigints as they are costs most of it. The batch's text is not part of
 * it: the receiver has it already.
 */
export interface PackedLineBatch {
  readonly lineCount: number
  readonly dictionary: readonly string[]
  readonly measurements: Int32Array
  readonly tagStarts: Int32Array
  readonly tagKeys: Int32Array
  readonly tagValues: Int32Array
  readonly fieldStarts: Int32Array
  readonly fieldKeys: Int32Array
  readonly fieldTypes: Uint8Array
  /** Float values, booleans as 0 or 1, and string values by their dictionary number. */
  readonly fieldNumbers: Float64Array
  /** Integer values, and unsigned ones by their 64 bits. */
  readonly fieldIntegers: BigInt64Array
  readonly timestamps: BigInt64Array
  /** 1 where the line has a timestamp. */
  readonly timestamped: Uint8Array
  readonly lineNumbers: Int32Array
  readonly lineStarts: Int32Array
  readonly lineEnds: Int32Array
  readonly errors: readonly LineError[]
}

const typeCodes: readonly FieldType[] = ['float', 'integer', 'uinteger', 'string', 'boolean']
const codeOfType = new Map(typeCodes.map((type, code) => [type, code]))

/**
 * Packs `batch`. Every number fits: the parser refuses integers and timestamps beyond 64 bits.
 */
export function packLineBatch(batch: LineBatch): PackedLineBatch {
  const dictionary = new Dictionary()
  return {
    lineCount: batch.lineCount,
    measurements: dictionary.numbersOf(batch.measurements),
    tagStarts: Int32Array.from(batch.tagStarts),
    tagKeys: dictionary.numbersOf(batch.tagKeys),
    tagValues: dictionary.numbersOf(batch.tagValues),
    fieldStarts: Int32Array.from(batch.fieldStarts),
    fieldKeys: dictionary.numbersOf(batch.fieldKeys),
    ...packFieldValues(batch, dictionary),
    ...packTimestamps(batch.timestamps),
    lineNumbers: Int32Array.from(batch.lineNumbers),
    lineStarts: Int32Array.from(batch.lineStarts),
    lineEnds: Int32Array.from(batch.lineEnds),
    errors: batch.errors,
    dictionary: dictionary.words,
  }
}

/** The buffers of a packed batch, to hand over to `postMessage` as its transfer list. */
export function transferablesOf(packed: PackedLineBatch): ArrayBuffer[] {
  const arrays = [
    packed.measurements,
    packed.tagStarts,
    packed.tagKeys,
    packed.tagValues,
    packed.fieldStarts,
    packed.fieldKeys,
    packed.fieldTypes,
    packed.fieldNumbers,
    packed.fieldIntegers,
    packed.timestamps,
    packed.timestamped,
    packed.lineNumbers,
    packed.lineStarts,
    packed.lineEnds,
  ]
  return arrays.map((array) => array.buffer as ArrayBuffer)
}

/** The batch `packed` was made of, `text` being the text it was parsed from. */
export function unpackLineBatch(packed: PackedLineBatch, text: string): LineBatch {
  const { dictionary } = packed
  return {
    text,
    lineCount: packed.lineCount,
    measurements: wordsOf(packed.measurements, dictionary),
    tagStarts: plainNumbers(packed.tagStarts),
    tagKeys: wordsOf(packed.tagKeys, dictionary),
    tagValues: wordsOf(packed.tagValues, dictionary),
    fieldStarts: plainNumbers(packed.fieldStarts),
    fieldKeys: wordsOf(packed.fieldKeys, dictionary),
    fieldTypes: fieldTypesOf(packed.fieldTypes),
    fieldValues: unpackFieldValues(packed),
    timestamps: unpackTimestamps(packed),
    lineNumbers: plainNumbers(packed.lineNumbers),
    lineStarts: plainNumbers(packed.lineStarts),
    lineEnds: plainNumbers(packed.lineEnds),
    errors: packed.errors,
  }
}

/** Numbers strings in order of first sight, so that equal strings share one entry. */
class Dictionary {
  readonly words: string[] = []
  private readonly numbers = new Map<string, number>()

  numberOf(word: string): number {
    let number = this.numbers.get(word)
    if (number === undefined) {
      number = this.words.push(word) - 1
      this.numbers.set(word, number)
    }

    return number
  }

  numbersOf(words: readonly string[]): Int32Array {
    const numbers = new Int32Array(words.length)
    for (let at = 0; at < words.length; at++) numbers[at] = this.numberOf(words[at] ?? '')

    return numbers
  }
}

function wordsOf(numbers: Int32Array, dictionary: readonly string[]): string[] {
  const words = new Array<string>(numbers.length)
  for (let at = 0; at < numbers.length; at++) words[at] = dictionary[numbers[at] ?? 0] ?? ''

  return words
}

function packFieldValues(batch: LineBatch, dictionary: Dictionary) {
  const count = batch.fieldTypes.length
  const fieldTypes = new Uint8Array(count)
  const fieldNumbers = new Float64Array(count)
  const fieldIntegers = new BigInt64Array(count)
  for (let field = 0; field < count; field++) {
    const type = batch.fieldTypes[field] ?? 'string'
    const value = batch.fieldValues[field]
    fieldTypes[field] = codeOfType.get(type) ?? 0
    if (typeof value === 'bigint') fieldIntegers[field] = BigInt.asIntN(64, value)
    else if (typeof value === 'string') fieldNumbers[field] = dictionary.numberOf(value)
    else fieldNumbers[field] = Number(value)
  }

  return { fieldTypes, fieldNumbers, fieldIntegers }
}

function unpackFieldValues(packed: PackedLineBatch): Array<FieldValue['value']> {
  const { fieldTypes, fieldNumbers, fieldIntegers, dictionary } = packed
  const values = new Array<FieldValue['value']>(fieldTypes.length)
  for (let field = 0; field < fieldTypes.length; field++) {
    const number = fieldNumbers[field] ?? 0
    const integer = fieldIntegers[field] ?? 0n
    switch (typeCodes[fieldTypes[field] ?? 0]) {
      case 'integer':
        values[field] = integer
        break
      case 'uinteger':
        values[field] = BigInt.asUintN(64, integer)
        break
      case 'string':
        values[field] = dictionary[number] ?? ''
        break
      case 'boolean':
        values[field] = number === 1
        break
      default:
        values[field] = number
    }
  }

  return values
}

function packTimestamps(written: ReadonlyArray<bigint | undefined>) {
  const timestamps = new BigInt64Array(written.length)
  const timestamped = new Uint8Array(written.length)
  for (let line = 0; line < written.length; line++) {
    const timestamp = written[line]
    if (timestamp === undefined) continue

    timestamps[line] = timestamp
    timestamped[line] = 1
  }

  return { timestamps, timestamped }
}

function unpackTimestamps(packed: PackedLineBatch): Array<bigint | undefined> {
  const { timestamps, timestamped } = packed
  const unpacked = new Array<bigint | undefined>(timestamps.length)
  for (let line = 0; line < timestamps.length; line++) {
    unpacked[line] = timestamped[line] === 1 ? timestamps[line] : undefined
  }

  return unpacked
}

// Plain loops: `Array.from` with a typed array costs several times as much.
function plainNumbers(numbers: Int32Array): number[] {
  const plain = new Array<number>(numbers.length)
  for (let at = 0; at < numbers.length; at++) plain[at] = numbers[at] ?? 0

  return plain
}

function fieldTypesOf(codes: Uint8Array): FieldType[] {
  const types = new Array<FieldType>(codes.length)
  for (let at = 0; at < codes.length; at++) types[at] = typeCodes[codes[at] ?? 0] ?? 'string'

  return types
}
