// Ctrl-C and SIGTERM as an AbortSignal: long-running commands (log streams, job polling, the console) stop
// cleanly instead of dying mid-write.

export interface Interrupt {
  /** Abort the signal without a signal received (the command stops for its own reasons). */
  abort(): void
  /** Undo: the signals get their default handling again. */
  dispose(): void
  /** The first signal received, if any. */
  readonly received?: NodeJS.Signals
  /** Aborts on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal
}

export interface InterruptOptions {
  /**
   * Keep catching the signals after the first one (the console: a second Ctrl-C must not kill the clean-up).
   * Without it, a second signal gets the default handling (the process dies).
   */
  holdOn?: boolean
  /** Swallow stdout errors once the reader left (`| head`): the copy already stopped. */
  quietStdout?: boolean
}

export function interruptible(o: InterruptOptions = {}): Interrupt {
  const controller = new AbortController()
  let received: NodeJS.Signals | undefined
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) return
    received = signal
    controller.abort()
  }

  const listen = o.holdOn ? process.on.bind(process) : process.once.bind(process)
  listen('SIGINT', onSignal)
  listen('SIGTERM', onSignal)
  if (o.quietStdout) process.stdout.on('error', () => {})
  return {
    abort: () => controller.abort(),
    dispose() {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
    get received() {
      return received
    },
    signal: controller.signal,
  }
}

/** The exit code of a command stopped by `signal`, as a shell reports it: 128 + its number (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals | undefined): number {
  return signal === 'SIGTERM' ? 143 : 130
}
