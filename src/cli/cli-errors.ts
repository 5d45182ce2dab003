/**
 * The command line was wrong: a missing input, conflicting flags, or a confirmation that cannot be
 * asked. Exits 2, like commander's own parse errors.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** The user pressed Ctrl-C. Exits 130, as a shell reports a process ended by SIGINT. */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted')
    this.name = 'InterruptedError'
  }
}

/** The reader of stdout went away, as `head` does once it has enough. Exits 0, quietly. */
export class OutputClosedError extends Error {
  constructor() {
    super('stdout was closed')
    this.name = 'OutputClosedError'
  }
}
