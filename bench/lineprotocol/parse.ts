// Measures how many lines per second parseLineBatch reads on one core, on 5,000-line
// batches of 1,000 series with 2 tags and 4 fields each. The write path parses into the
// columnar batch; parseLineProtocol only wraps it with one object per line, which would
// measure that wrapper's allocations as much as the parsing.
//
//   node --import tsx bench/lineprotocol/parse.ts [seconds]
//
// The young generation's size weighs on the figure, since a batch's columns stay alive while
// it is parsed: try `--max-semi-space-size=64` before `--import` to see how much.
import { parseLineBatch } from '../../src/lineprotocol/index.js'

const LINES_PER_BATCH = 5_000
const SERIES = 1_000
const REGIONS = ['eu-west', 'eu-central', 'us-east', 'ap-south']
const WARM_UP_MS = 1_000
const ROUND_MS = 500

interface Round {
  lines: number
  wallMs: number
  cpuMs: number
}

function makeLine(index: number): string {
  const series = index % SERIES
  const host = `host-${Math.floor(series / REGIONS.length)}`
  const region = REGIONS[series % REGIONS.length] ?? 'eu-west'
  const timestamp = 1_700_000_000_000_000_000n + BigInt(index) * 1_000_000n
  const fields = `usage_user=${(index % 1000) / 8},usage_system=3.25,requests=${index}i,status="ok"`

  return `cpu,host=${host},region=${region} ${fields} ${timestamp}`
}

function makeBatch(): string {
  const lines: string[] = []
  for (let index = 0; index < LINES_PER_BATCH; index++) lines.push(makeLine(index))

  return lines.join('\n')
}

function parseFor(batch: string, milliseconds: number): Round {
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  let lines = 0
  while (performance.now() - start < milliseconds) {
    const parsed = parseLineBatch(batch)
    if (parsed.errors.length > 0) throw new Error(`refused: ${parsed.errors[0]?.message}`)

    lines += parsed.lineCount
  }

  const cpu = process.cpuUsage(cpuStart)
  return { lines, wallMs: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000 }
}

function perSecond(lines: number, milliseconds: number): number {
  return Math.round(lines / (milliseconds / 1000))
}

function format(linesPerSecond: number): string {
  return `${linesPerSecond.toLocaleString('en-US')} lines/s`
}

function main(): void {
  const seconds = Number(process.argv[2] ?? '5')
  const batch = makeBatch()
  parseFor(batch, WARM_UP_MS)

  const rounds: Round[] = []
  for (let spent = 0; spent < seconds * 1000; spent += ROUND_MS) {
    rounds.push(parseFor(batch, ROUND_MS))
  }

  const lines = rounds.reduce((sum, round) => sum + round.lines, 0)
  const wallMs = rounds.reduce((sum, round) => sum + round.wallMs, 0)
  const cpuMs = rounds.reduce((sum, round) => sum + round.cpuMs, 0)
  const best = Math.max(...rounds.map((round) => perSecond(round.lines, round.wallMs)))

  console.log(`batch: ${LINES_PER_BATCH} lines, ${batch.length} bytes, ${SERIES} series`)
  console.log(`parsed ${lines} lines in ${(wallMs / 1000).toFixed(2)} s`)
  // On a shared machine the average suffers from whatever else runs; the best round comes
  // closest to one quiet core. CPU time also counts the garbage collector's helper threads.
  console.log(`average:    ${format(perSecond(lines, wallMs))}`)
  console.log(`best round: ${format(best)}`)
  console.log(`per CPU s:  ${format(perSecond(lines, cpuMs))}`)
}

main()
