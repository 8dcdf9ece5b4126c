// The elevation reasons cache, shared with the Go `ocm-backplane`: the current context's kubeconfig extension
//   extensions:
//   - name: ElevateContext
//     extension: {reasons: [<reason>, …], lastUsed: "<RFC 3339>"}
// (Go: pkg/login/kubeConfig.go, ElevateContext{Reasons []string `json:"reasons"`; LastUsed time.Time `json:"lastUsed"`}).
// Reasons are valid for 20 minutes after their last use; each use refreshes lastUsed.
import {isMap, isSeq, Scalar, YAMLMap, YAMLSeq} from 'yaml'

import type {KubeconfigEditor} from './kubeconfig.js'

import {CliError, usageError} from '../errors.js'
import {KubeconfigSet} from './kubeconfig.js'

export const ELEVATE_EXTENSION = 'ElevateContext'
export const ELEVATE_VALIDITY_MINUTES = 20
const VALIDITY_MS = ELEVATE_VALIDITY_MINUTES * 60_000
/** Longest reason accepted (it travels as an HTTP header on every elevated request). */
export const MAX_REASON_LENGTH = 1024

/** Milliseconds since the epoch; tests inject their own. */
export type Clock = () => number
export const systemClock: Clock = () => Date.now()

export interface ElevateContext {
  /** Date.parse of lastUsed; NaN when missing or not a time (then nothing is valid). */
  lastUsed: number
  reasons: string[]
}

/** The ElevateContext extension of a context's body (its `context:` map), when it has one of the right shape. */
export function readElevateContext(contextBody: undefined | YAMLMap): ElevateContext | undefined {
  const entry = extensionItems(contextBody).find((item) => item.get('name') === ELEVATE_EXTENSION)
  const ext = entry?.get('extension', true)
  if (!isMap(ext)) return undefined
  const raw = ext.toJSON() as Record<string, unknown>
  const reasons = Array.isArray(raw.reasons) ? raw.reasons.filter((r): r is string => typeof r === 'string' && r.trim() !== '') : []
  const lastUsed = typeof raw.lastUsed === 'string' ? Date.parse(raw.lastUsed) : Number.NaN
  return {lastUsed, reasons}
}

/** Is the cache still valid at `now` (Go: time.Since(lastUsed) <= 20 minutes)? */
export function isValid(ec: ElevateContext | undefined, now: number): ec is ElevateContext {
  return ec !== undefined && Number.isFinite(ec.lastUsed) && now - ec.lastUsed <= VALIDITY_MS && ec.reasons.length > 0
}

/** The reasons still valid at `now` (none when expired). */
export function validReasons(ec: ElevateContext | undefined, now: number): string[] {
  return isValid(ec, now) ? [...ec.reasons] : []
}

/** Whole minutes (rounded up) the cached reasons stay valid; 0 when expired. */
export function minutesLeft(ec: ElevateContext | undefined, now: number): number {
  if (!isValid(ec, now)) return 0
  return Math.max(0, Math.ceil((ec.lastUsed + VALIDITY_MS - now) / 60_000))
}

/** A reason as given by a person: trimmed; one with control characters (newlines…) or too long is refused. */
export function checkReason(reason: string | undefined): string | undefined {
  const trimmed = reason?.trim() ?? ''
  if (trimmed === '') return undefined
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F]/.test(trimmed)) {
    throw usageError('an elevation reason cannot hold control characters or line breaks', 'give the reason on one line')
  }

  if (trimmed.length > MAX_REASON_LENGTH) {
    throw usageError(`an elevation reason is at most ${MAX_REASON_LENGTH} characters (this one has ${trimmed.length})`, 'give a shorter reason, e.g. a ticket or incident id')
  }

  return trimmed
}

/** `existing` followed by each new non-empty reason it does not hold yet (Go: AppendUniqNoneEmptyString). */
export function mergeReasons(existing: string[], added: Array<string | undefined>): string[] {
  const out = [...existing]
  for (const reason of added) {
    const r = checkReason(reason)
    if (r !== undefined && !out.includes(r)) out.push(r)
  }

  return out
}

/**
 * Store `value` as the ElevateContext extension of a context, through the editor's upsert; every other
 * extension of that context is kept as it is.
 */
export function writeElevateContext(file: KubeconfigEditor, contextName: string, value: {lastUsed: number; reasons: string[]}): void {
  const body = file.body('contexts', contextName)
  if (!body) throw new CliError(`context "${contextName}" is not in ${file.path}`, {code: 'NO_CONTEXT', hint: 'log in again'})
  const list = body.get('extensions', true)
  const seq = isSeq(list) ? list : new YAMLSeq()
  if (seq.flow && seq.items.length === 0) seq.flow = false
  const lastUsed = new Scalar(new Date(value.lastUsed).toISOString())
  lastUsed.type = Scalar.QUOTE_DOUBLE
  const reasons = new YAMLSeq<string>()
  for (const r of value.reasons) reasons.add(r)
  let entry = seq.items.find((item): item is YAMLMap => isMap(item) && item.get('name') === ELEVATE_EXTENSION)
  if (!entry) {
    entry = new YAMLMap()
    entry.set('name', ELEVATE_EXTENSION)
    seq.items.push(entry)
  }

  // An existing extension map is edited in place: its key order (Go writes lastUsed first) and any other key stay.
  const found = entry.get('extension', true)
  const extension = isMap(found) ? found : new YAMLMap()
  extension.set('reasons', reasons)
  extension.set('lastUsed', lastUsed)
  entry.set('extension', extension)
  file.upsert('contexts', contextName, {extensions: seq})
}

export interface ElevateState {
  context: string
  /** The file that defines the context (where the cache lives). */
  file: string
  minutesLeft: number
  /** The reasons still valid (empty when none or expired). */
  reasons: string[]
}

/** The current context's cache as kubectl would see it (the first file defining the context). */
export function elevateState(set: KubeconfigSet, now: number): ElevateState | undefined {
  const current = set.currentContext()
  if (!current) return undefined
  const file = set.find('contexts', current.name)
  if (!file) return undefined
  const ec = readElevateContext(file.body('contexts', current.name))
  return {context: current.name, file: file.path, minutesLeft: minutesLeft(ec, now), reasons: validReasons(ec, now)}
}

/**
 * Add `added` to the current context's ElevateContext under the kubeconfig lock: expired reasons are
 * dropped, new non-empty ones appended without duplicates, and lastUsed set to now. Returns the reasons
 * now valid; when there are none nothing is written. `expectContext` guards against the current context
 * having changed since the caller looked.
 */
export async function recordElevateReasons(
  paths: string[],
  added: Array<string | undefined>,
  opts: {clock?: Clock; expectContext?: string} = {},
): Promise<ElevateState> {
  const clock = opts.clock ?? systemClock
  return KubeconfigSet.update(paths, (set) => {
    const current = set.currentContext()
    if (!current) throw new CliError('no current kubeconfig context', {code: 'NO_CONTEXT', hint: "log in first with 'backplane login <cluster>'"})
    if (opts.expectContext !== undefined && current.name !== opts.expectContext) {
      throw new CliError(`the current context changed to "${current.name}" meanwhile`, {code: 'CONTEXT_CHANGED', hint: 'run the command again'})
    }

    const file = set.find('contexts', current.name)
    if (!file) throw new CliError(`current context "${current.name}" is not defined in any kubeconfig file`, {code: 'NO_CONTEXT', hint: 'log in again'})
    const now = clock()
    const reasons = mergeReasons(validReasons(readElevateContext(file.body('contexts', current.name)), now), added)
    if (reasons.length > 0) writeElevateContext(file, current.name, {lastUsed: now, reasons})
    return {context: current.name, file: file.path, minutesLeft: reasons.length > 0 ? ELEVATE_VALIDITY_MINUTES : 0, reasons}
  })
}

function extensionItems(body: undefined | YAMLMap): YAMLMap[] {
  const list = body?.get('extensions', true)
  return isSeq(list) ? list.items.filter((item): item is YAMLMap => isMap(item)) : []
}
