// Ids that come from OCM, backplane or the command line, checked before they become a file path or a URL
// segment; and the one way to put a value into a URL path.
import {CliError, usageError} from './errors.js'
import {shownValue} from './output/visible.js'

/** OCM cluster ids: lowercase letters and digits, at most 64. */
const CLUSTER_ID = /^[a-z0-9]{1,64}$/
/** Managed job ids: a letter or digit, then letters, digits, '.', '_' or '-'. */
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/

export function isClusterId(value: string): boolean {
  return CLUSTER_ID.test(value)
}

/**
 * A cluster id before it becomes a path (`~/.kube/<id>/config`) or a URL segment. `from` says where it came from
 * ("OCM", "the kubeconfig server …"): the error names the value and its source.
 */
export function checkClusterId(value: unknown, from: string, hint = 'an OCM cluster id is 1 to 64 lowercase letters and digits: check the OCM URL (OCM_URL or url in the OCM config)'): string {
  if (typeof value === 'string' && CLUSTER_ID.test(value)) return value
  throw new CliError(`${from} gave an invalid cluster id ${shownValue(String(value))}`, {code: 'BAD_ID', hint})
}

/** A job id the user typed: a usage error when it could not be one. */
export function checkJobIdArg(value: string): string {
  if (JOB_ID.test(value)) return value
  throw usageError(`invalid job id ${shownValue(value)}`, "a job id is a letter or digit, then letters, digits, '.', '_' or '-' (see 'backplane managedjob list')")
}

/** A job id backplane sent, before it is used in a URL. */
export function checkJobIdFromServer(value: string, what: string): string {
  if (JOB_ID.test(value)) return value
  throw new CliError(`backplane answered ${what} with an invalid job id ${shownValue(value)}`, {
    code: 'BAD_ID',
    hint: 'check the backplane URL (--url, BACKPLANE_URL or url in the backplane config)',
  })
}

/**
 * One URL path segment: percent-encoded, and never `.`, `..` or empty (which a URL parser would fold
 * into the parent path, e.g. `DELETE …/job/.` → `DELETE …/job/`).
 */
export function urlSegment(value: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new CliError(`refusing to use ${shownValue(value)} as a URL path segment`, {code: 'BAD_ID', hint: 'give a real id (see the list command)'})
  }

  return encodeURIComponent(value)
}

/** `base` + `/` + each segment through urlSegment. */
export function urlPath(base: string, ...segments: string[]): string {
  return [base.replace(/\/+$/, ''), ...segments.map((s) => urlSegment(s))].join('/')
}
