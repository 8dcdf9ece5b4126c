// What `managedjob get` and `managedjob list` print.
import type {Job} from '../backplane/scripts.js'

import {jobStatusOf} from '../backplane/scripts.js'
import {visible} from './visible.js'
import {relativeTime, renderTable, type TableOptions, terminalWidth} from './table.js'

/** JOBID / STATUS / NAMESPACE / START / SCRIPT, in Go's order; START relative ("5m ago") when `relative`, else as sent (ISO). */
export function jobTable(jobs: Job[], opts: TableOptions & {now?: number; relative?: boolean} = {}): string {
  const rows = jobs.map((job) => {
    const s = job.jobStatus
    const start = typeof s?.start === 'string' ? s.start : undefined
    return [job.jobId, jobStatusOf(job), s?.namespace, opts.relative ? relativeTime(start, opts.now) : start, s?.script?.canonicalName]
  })
  return renderTable([{header: 'JOBID'}, {header: 'STATUS'}, {header: 'NAMESPACE'}, {header: 'START'}, {header: 'SCRIPT', shrink: true}], rows, opts)
}

/** The parameters a job runs with, `KEY=VALUE` per line. */
export function jobParameters(job: Job): string {
  const envs = Array.isArray(job.jobStatus?.envs) ? job.jobStatus!.envs! : []
  const pairs = envs.filter((e) => typeof e?.key === 'string' && e.key !== '')
  if (pairs.length === 0) return 'Parameters: none'
  return ['Parameters:', ...pairs.map((e) => `  ${visible(String(e.key))}=${visible(String(e.value ?? ''))}`)].join('\n')
}

/** What `managedjob list` (and `get` without an id) prints: the table, or a friendly line when there is no job. */
export function jobsReport(jobs: Job[], clusterId: string): string {
  if (jobs.length === 0) return `No managed jobs on this cluster (${clusterId}).`
  return jobTable(jobs, jobTableOptions())
}

/** Fit the terminal, with relative start times, on a TTY; full width and ISO times in pipes. */
export function jobTableOptions(): {maxWidth?: number; relative: boolean} {
  return {maxWidth: terminalWidth(), relative: Boolean(process.stdout.isTTY)}
}
