// Measures how many lines per second parseLineProtocol reads on one core.
// Run: node --import tsx bench/lineprotocol/parse.ts [seconds]
import { parseLineProtocol } from '../../src/lineprotocol/index.js'

const LINES_PER_BATCH = 5_000
const SERIES = 1_000
const REGIONS = ['eu-west', 'eu-central', 'us-east', 'ap-south']
const WARM_UP_MS = 500

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

function parseFor(batch: string, milliseconds: number): { lines: number; elapsedMs: number } {
  const start = performance.now()
  let lines = 0
  while (performance.now() - start < milliseconds) {
    const parsed = parseLineProtocol(batch)
    if (parsed.errors.length > 0) throw new Error(`bench batch refused: ${parsed.errors[0]?.message}`)

    lines += parsed.lines.length
  }

  return { lines, elapsedMs: performance.now() - start }
}

function main(): void {
  const seconds = Number(process.argv[2] ?? '5')
  const batch = makeBatch()

  parseFor(batch, WARM_UP_MS)
  const { lines, elapsedMs } = parseFor(batch, seconds * 1000)

  const perSecond = Math.round(lines / (elapsedMs / 1000))
  console.log(`batch: ${LINES_PER_BATCH} lines, ${batch.length} bytes, ${SERIES} series`)
  console.log(`parsed ${lines} lines in ${(elapsedMs / 1000).toFixed(2)} s`)
  console.log(`${perSecond.toLocaleString('en-US')} lines/s`)
}

main()
