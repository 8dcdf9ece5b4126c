// The result lines shared by `healthcheck` and `config troubleshoot`: [V] passed, [X] failed, [-] skipped.
import {cellText} from '../output/table.js'

export type CheckStatus = 'failed' | 'passed' | 'skipped'

export interface CheckResult {
  check: string
  detail: string
  /** What to do next, for a failed check (one line). */
  hint?: string
  ms?: number
  /** false only when the check failed (a skipped check is not a failure). */
  ok: boolean
  status: CheckStatus
}

const MARK: Record<CheckStatus, string> = {failed: '[X]', passed: '[V]', skipped: '[-]'}

export function passed(check: string, detail: string, ms?: number): CheckResult {
  return {check, detail, ms, ok: true, status: 'passed'}
}

export function failed(check: string, detail: string, hint: string, ms?: number): CheckResult {
  return {check, detail, hint, ms, ok: false, status: 'failed'}
}

/** Not wrong, but worth knowing ([-]). */
export function notice(check: string, detail: string): CheckResult {
  return {check, detail, ok: true, status: 'skipped'}
}

export function skipped(check: string, why: string, ms?: number): CheckResult {
  return {check, detail: `skipped (${why})`, ms, ok: true, status: 'skipped'}
}

/** `[V] VPN connectivity: … — what to do (12 ms)`; control characters from servers or files are neutralised. */
export function checkLine(r: CheckResult): string {
  const hint = r.hint ? ` — ${cellText(r.hint)}` : ''
  const ms = r.ms === undefined ? '' : ` (${r.ms} ms)`
  return `${MARK[r.status]} ${r.check}: ${cellText(r.detail)}${hint}${ms}`
}
