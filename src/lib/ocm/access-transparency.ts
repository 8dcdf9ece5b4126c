// OCM's access transparency API (/api/access_transparency/v1): whether a cluster is access-protected, and the
// access requests the customer approves before backplane lets anyone in.
import type {OcmSession} from './session.js'

import {CliError, usageError} from '../errors.js'
import {urlPath} from '../ids.js'
import {quoteSearchValue} from './clusters.js'

const BASE = '/api/access_transparency/v1'
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

/** The parts of an AccessRequest the CLI shows (the object is printed whole with --json). */
export interface AccessRequest {
  [key: string]: unknown
  cluster_id?: string
  created_at?: string
  deadline?: string
  deadlineAt?: string
  duration?: string
  href?: string
  id: string
  internal_support_case_id?: string
  justification?: string
  requested_by?: string
  status?: {expires_at?: string; state?: string}
}

export interface NewAccessRequest {
  clusterId: string
  /** Go duration syntax, as Go's Duration.String() writes it (`8h0m0s`). */
  duration: string
  justification: string
  notificationIssue: string
}

function asRequest(value: unknown, what: string): AccessRequest {
  const r = value as AccessRequest
  if (!r || typeof r !== 'object' || typeof r.id !== 'string' || !REQUEST_ID.test(r.id)) {
    throw new CliError(`OCM answered ${what} with an unexpected body`, {code: 'BAD_RESPONSE', hint: 'check the OCM URL (OCM_URL or url in the OCM config)'})
  }

  return r
}

export function requestState(r: AccessRequest): string {
  return typeof r.status?.state === 'string' && r.status.state !== '' ? r.status.state : '<Undefined>'
}

export class AccessTransparency {
  constructor(private readonly ocm: OcmSession) {}

  /** `GET access_protection?clusterId=` → is access protection enabled on the cluster? */
  async isProtected(clusterId: string): Promise<boolean> {
    const body = await this.ocm.get<{enabled?: unknown}>(`${BASE}/access_protection`, {clusterId})
    if (!body || typeof body.enabled !== 'boolean') {
      throw new CliError(`OCM answered the access protection of cluster ${clusterId} with an unexpected body`, {code: 'BAD_RESPONSE', hint: 'check the OCM URL (OCM_URL or url in the OCM config)'})
    }

    return body.enabled
  }

  /** The cluster's pending or approved request, if it has one (the first, as Go does, when several). */
  async activeRequest(clusterId: string): Promise<AccessRequest | undefined> {
    const search = `cluster_id=${quoteSearchValue(clusterId)} and (status.state='Pending' or status.state='Approved')`
    const body = await this.ocm.get<{items?: unknown}>(`${BASE}/access_requests`, {search})
    if (!body || !Array.isArray(body.items)) {
      throw new CliError(`OCM answered the access requests of cluster ${clusterId} with an unexpected body`, {code: 'BAD_RESPONSE', hint: 'check the OCM URL (OCM_URL or url in the OCM config)'})
    }

    return body.items.length === 0 ? undefined : asRequest(body.items[0], `the access requests of cluster ${clusterId}`)
  }

  async create(r: NewAccessRequest): Promise<AccessRequest> {
    const body = await this.ocm.post(`${BASE}/access_requests`, {
      cluster_id: r.clusterId,
      duration: r.duration,
      internal_support_case_id: r.notificationIssue,
      justification: r.justification,
    })
    return asRequest(body, 'the new access request')
  }

  /** Post the Expired decision for a request. */
  async expire(requestId: string, justification: string): Promise<void> {
    await this.ocm.post(urlPath(`${BASE}/access_requests`, requestId, 'decisions'), {decision: 'Expired', justification})
  }
}

const UNIT_MS: Record<string, number> = {h: 3_600_000, m: 60_000, ms: 1, ns: 1e-6, s: 1000, us: 1e-3, µs: 1e-3, μs: 1e-3}
const MIN_APPROVAL_MS = 60_000
const MAX_APPROVAL_MS = 24 * 3_600_000

/** Go's time.ParseDuration: `8h`, `1h30m`, `90m`, `1.5h`, `300ms`… in milliseconds; undefined when not that syntax. */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim()
  if (s === '0') return 0
  if (!/^[+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(s)) return undefined
  let total = 0
  for (const [, amount, unit] of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(amount) * UNIT_MS[unit!]!
  return total
}

/** Go's Duration.String() for whole milliseconds: `8h0m0s`, `1h30m0s`, `1m0.5s`. */
export function goDurationString(ms: number): string {
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = (ms % 60_000) / 1000
  const secs = `${Number(s.toFixed(3))}s`
  if (h > 0) return `${h}h${m}m${secs}`
  if (m > 0) return `${m}m${secs}`
  return secs
}

/** `--approval-duration`: Go duration syntax, between 1m and 24h; the string sent to OCM. A usage error otherwise. */
export function approvalDuration(text: string): string {
  const ms = parseGoDuration(text)
  if (ms === undefined) throw usageError(`invalid approval duration "${text}"`, 'use Go duration syntax between 1m and 24h, e.g. 8h, 90m or 1h30m')
  if (ms < MIN_APPROVAL_MS || ms > MAX_APPROVAL_MS) throw usageError(`approval duration ${text.trim()} is out of range`, 'give between 1m and 24h, e.g. 8h')
  return goDurationString(Math.round(ms))
}
