// A child program that takes over the terminal (oc for elevate, the session's shell): its stdin, stdout and
// stderr are ours, its exit status becomes ours, and our signals wait for it instead of killing us first.
import {spawn} from 'node:child_process'
import {constants} from 'node:os'

import {CliError} from '../errors.js'

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export interface ForegroundOptions {
  cwd?: string
  env: NodeJS.ProcessEnv
  /** What to do when the program cannot be started (the hint of the error). */
  hint: string
}

/**
 * Run `bin args…` (no shell: the arguments reach it exactly as given) on this terminal and resolve its exit
 * status, 128 + the signal number when a signal ended it. A terminal's Ctrl-C reaches the child by itself
 * (same process group); a signal sent to this process alone is passed on. Either way we wait for the child,
 * so the caller's clean-up runs.
 */
export async function runForeground(bin: string, args: string[], o: ForegroundOptions): Promise<number> {
  let received: NodeJS.Signals | undefined
  const child = spawn(bin, args, {cwd: o.cwd, env: o.env, stdio: 'inherit'})
  const onSignal = (signal: NodeJS.Signals) => {
    received ??= signal
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  }

  for (const s of SIGNALS) process.on(s, onSignal)
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'ENOENT'
            ? new CliError(`cannot run ${bin}: not found`, {code: 'NOT_FOUND', hint: o.hint})
            : new CliError(`cannot run ${bin}: ${error.message}`, {hint: o.hint}),
        )
      })
      child.once('exit', (code, signal) => {
        const sig = signal ?? (code === null ? received : undefined)
        resolve(code ?? (sig ? 128 + (constants.signals[sig] ?? 1) : 1))
      })
    })
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal)
  }
}
