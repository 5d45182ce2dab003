import type { CliOutput } from './cli-io.js'

/** Reports bytes sent against a known total. */
export interface ProgressBar {
  advance(bytes: number): void
  /** Ends the bar's line. Calling it twice is harmless. */
  finish(): void
}

const barWidth = 30

/** A progress bar that draws nothing, for pipes, logs and quiet runs. */
export const silentProgress: ProgressBar = { advance() {}, finish() {} }

/**
 * A one-line bar redrawn in place on `output`, e.g.
 * `[###############---------------]  50%  5.0 MiB / 10.0 MiB`. Draws only on a terminal.
 */
export function progressBar(output: CliOutput, total: number): ProgressBar {
  if (!output.isTTY || total <= 0) return silentProgress

  let done = 0
  let finished = false
  const draw = () => output.stream.write(`\r${renderProgress(done, total)}`)
  draw()
  return {
    advance(bytes) {
      done += bytes
      draw()
    },
    finish() {
      if (!finished) output.stream.write('\n')
      finished = true
    },
  }
}

/** The text of the bar for `done` of `total` bytes. */
export function renderProgress(done: number, total: number): string {
  const shown = Math.min(done, total)
  const ratio = total > 0 ? shown / total : 1
  const filled = Math.round(ratio * barWidth)
  const bar = '#'.repeat(filled) + '-'.repeat(barWidth - filled)
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4)
  return `[${bar}] ${percent}  ${formatBytes(shown)} / ${formatBytes(total)}`
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`
}
