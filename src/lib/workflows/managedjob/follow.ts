// What `managedjob create --wait/--logs` does after the job was created.
import type {Writable} from 'node:stream'

import type {Job, ScriptsApi} from '../../backplane/scripts.js'

import {jobStatusOf} from '../../backplane/scripts.js'
import {CliError} from '../../errors.js'
import {type StreamEnd, streamLogs} from './logs.js'
import {progress, TERMINAL_STATUSES, waitForJob} from './wait.js'

export interface FollowOptions {
  intervalMs: number
  /** Stream the logs (as `logs -f`) once the job leaves Pending. */
  logs: boolean
  out: Writable
  signal?: AbortSignal
  timeoutMs: number
  /** Spinner (else plain lines) for the progress on stderr. */
  tty: boolean
  /** Wait until the job ends; Failed or Killed is an error. */
  wait: boolean
}

export interface FollowResult {
  end: 'done' | Exclude<StreamEnd, 'done'>
  job: Job
}

/**
 * Wait for the job to leave Pending and stream its logs (`logs`), then wait until it ends (`wait`).
 * Failed/Killed and a timeout are errors naming the status; Ctrl-C and a closed stdout end quietly.
 */
export async function followJob(api: ScriptsApi, jobId: string, o: FollowOptions): Promise<FollowResult> {
  const deadline = Date.now() + o.timeoutMs
  const poll = async (until: (status: string) => boolean) => {
    const shown = await progress(jobId, o.tty)
    try {
      return await waitForJob(() => api.getJob(jobId), {intervalMs: o.intervalMs, onJob: (j) => shown.update(j), signal: o.signal, timeoutMs: Math.max(0, deadline - Date.now()), until})
    } finally {
      shown.stop()
    }
  }

  const timeoutError = (job: Job) =>
    new CliError(`job ${jobId} is still ${jobStatusOf(job)} after ${Number((o.timeoutMs / 1000).toFixed(1))}s`, {
      code: 'TIMEOUT',
      hint: `check on it with 'backplane managedjob get ${jobId}', or wait longer with --timeout`,
    })

  let job: Job | undefined
  if (o.logs) {
    const started = await poll((status) => status !== 'Pending')
    if (started.interrupted) return {end: 'interrupted', job: started.job}
    if (started.timedOut) throw timeoutError(started.job)
    const streamed = await streamLogs(api, jobId, {follow: true, out: o.out, signal: o.signal})
    if (streamed.end !== 'done') return {end: streamed.end, job: started.job}
    job = started.job
  }

  if (o.wait) {
    const ended = await poll((status) => TERMINAL_STATUSES.has(status))
    if (ended.interrupted) return {end: 'interrupted', job: ended.job}
    if (ended.timedOut) throw timeoutError(ended.job)
    job = ended.job
    const status = jobStatusOf(job)
    if (status === 'Failed' || status === 'Killed') {
      throw new CliError(`job ${jobId} ${status}`, {code: `JOB_${status.toUpperCase()}`, hint: `see its logs with 'backplane managedjob logs ${jobId}'`})
    }
  }

  return {end: 'done', job: job ?? (await api.getJob(jobId))}
}
