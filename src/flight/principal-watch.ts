/** Stops a watch started by `watchPrincipal`. */
export type StopWatch = () => void

/**
 * Runs `check` every `intervalMs` while a stream lasts, and calls `refused` with its error once
 * it throws, then stops. A credential revoked mid-stream (a deleted token, an ended session, a
 * deleted user, a lost grant) thus ends the stream within one interval (SE-4), even while the
 * stream waits for the client or for the query. Checks never overlap.
 */
export function watchPrincipal(
  check: () => Promise<void>,
  intervalMs: number,
  refused: (error: unknown) => void,
): StopWatch {
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  const schedule = (): void => {
    timer = setTimeout(() => void runCheck(), intervalMs)
    timer.unref()
  }
  const runCheck = async (): Promise<void> => {
    try {
      await check()
    } catch (error) {
      if (!stopped) refused(error)
      stopped = true
    }
    if (!stopped) schedule()
  }

  schedule()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
