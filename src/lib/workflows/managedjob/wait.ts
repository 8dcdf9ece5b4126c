// `managedjob create --wait`: poll the job until it reaches a state, with progress on stderr.
import type {Job} from '../../backplane/scripts.js'

import {jobStatusOf} from '../../backplane/scripts.js'
import {sleep} from '../../process/sleep.js'
import {visible} from '../../output/visible.js'

/** States a job does not leave. */
export const TERMINAL_STATUSES = new Set(['Failed', 'Killed', 'Succeeded'])

export const DEFAULT_INTERVAL_SECONDS = 3
export const DEFAULT_TIMEOUT_SECONDS = 600

export interface WaitOptions {
  intervalMs: number
  /** Called with every job fetched. */
  onJob?: (job: Job) => void
  signal?: AbortSignal
  timeoutMs: number
  /** Stop when this holds for the status (default: a terminal status). */
  until?: (status: string) => boolean
}

export interface WaitResult {
  interrupted: boolean
  job: Job
  timedOut: boolean
}

/** Fetch the job every intervalMs until `until(status)`, the timeout (with the last job) or the signal. */
export async function waitForJob(fetch: () => Promise<Job>, o: WaitOptions): Promise<WaitResult> {
  const until = o.until ?? ((status: string) => TERMINAL_STATUSES.has(status))
  const deadline = Date.now() + o.timeoutMs
  for (;;) {
    const job = await fetch()
    o.onJob?.(job)
    if (until(jobStatusOf(job))) return {interrupted: false, job, timedOut: false}
    const left = deadline - Date.now()
    if (left <= 0) return {interrupted: false, job, timedOut: true}
    await sleep(Math.min(o.intervalMs, left), o.signal)
    if (o.signal?.aborted) return {interrupted: true, job, timedOut: false}
  }
}

/** Progress of a wait: an ora spinner on a terminal, else one plain line per status change (both on stderr). */
export interface Progress {
  stop(): void
  update(job: Job): void
}

export async function progress(jobId: string, tty: boolean): Promise<Progress> {
  let last: string | undefined
  // A terminal without a known width (some ptys) would make a spinner redraw garbage: plain lines then.
  if (!tty || !process.stderr.columns) {
    return {
      stop() {},
      update(job) {
        const status = jobStatusOf(job)
        if (status !== last) process.stderr.write(`job ${jobId}: ${visible(status)}\n`)
        last = status
      },
    }
  }

  const {default: ora} = await import('ora')
  const spinner = ora({stream: process.stderr, text: `job ${jobId}: waiting`}).start()
  return {
    stop() {
      if (spinner.isSpinning) spinner.stop()
      if (last) process.stderr.write(`job ${jobId}: ${visible(last)}\n`)
    },
    update(job) {
      last = jobStatusOf(job)
      spinner.text = `job ${jobId}: ${visible(last)}`
    },
  }
}
