// PagerDuty REST API v2: the alerts of an incident, and the cluster ids their details name (`login --pd`).
import type {HttpClient} from '../http/client.js'

import {CliError, usageError} from '../errors.js'
import {excerptOf} from '../http/errors.js'
import {urlPath} from '../ids.js'

export const PAGERDUTY_API_URL = 'https://api.pagerduty.com'
const ACCEPT = 'application/vnd.pagerduty+json;version=2'
const PAGE_SIZE = 100
/** An incident has a handful of alerts; a server that keeps saying `more` is not followed forever. */
const MAX_PAGES = 10
const INCIDENT_ID = /^[A-Za-z0-9]{1,64}$/

/** The parts of a PagerDuty alert (`GET /incidents/{id}/alerts`) that `login --pd` reads. */
export interface PagerDutyAlert {
  body?: {details?: unknown}
  html_url?: string
  id?: string
  incident?: {html_url?: string; id?: string}
  summary?: string
}

interface AlertList {
  alerts?: unknown
  more?: unknown
}

/** `Q1ABC…` or `https://<org>.pagerduty.com/incidents/Q1ABC…` → the incident id; anything else is a usage error. */
export function parseIncidentRef(input: string): string {
  const text = input.trim()
  const bad = () => usageError(`invalid PagerDuty incident "${input}"`, 'give an incident id (Q1ABC2DEF3GHIJ) or its URL (https://<org>.pagerduty.com/incidents/<id>)')
  if (INCIDENT_ID.test(text)) return text
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw bad()
  }

  const match = /\/incidents\/([^/]+)\/?$/.exec(url.pathname)
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !match || !INCIDENT_ID.test(match[1])) throw bad()
  return match[1]
}

/**
 * The cluster id an alert names: `body.details.cluster_id`, or for "cluster has gone missing" alerts, whose
 * details carry `notes` instead, the `cluster_id: <id>` line of the notes.
 */
export function clusterIdOfAlert(alert: PagerDutyAlert): string | undefined {
  const details = alert?.body?.details
  if (!details || typeof details !== 'object') return undefined
  const d = details as Record<string, unknown>
  if (typeof d.cluster_id === 'string' && d.cluster_id.trim() !== '') return d.cluster_id.trim()
  if (typeof d.notes === 'string') {
    const line = /^\s*cluster_id:\s*(\S+)\s*$/m.exec(d.notes)
    if (line) return line[1]
  }

  return undefined
}

export interface IncidentClusters {
  /** Distinct cluster ids, in the order the alerts name them. */
  clusterIds: string[]
  /** The incident's page (`html_url`), stored as the elevation reason. */
  htmlUrl?: string
  incidentId: string
}

export class PagerDutyClient {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  /** Every alert of an incident (paged). One clear line for 401, 404 and 429. */
  async incidentAlerts(incidentId: string): Promise<PagerDutyAlert[]> {
    const alerts: PagerDutyAlert[] = []
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = urlPath(`${this.baseUrl}/incidents`, incidentId, 'alerts')
      const r = await this.http.json<AlertList>('GET', url, {
        headers: {accept: ACCEPT, authorization: `Token token=${this.key}`},
        searchParams: {limit: String(PAGE_SIZE), offset: String(page * PAGE_SIZE)},
        throwHttpErrors: false,
      })
      if (r.statusCode !== 200) throw pagerDutyError(r.statusCode, r.headers, r.body, incidentId)
      if (!r.body || typeof r.body !== 'object' || !Array.isArray(r.body.alerts)) {
        throw new CliError(`PagerDuty answered the alerts of incident ${incidentId} with an unexpected body`, {hint: 'check pagerduty-api-url (or BACKPLANE_PAGERDUTY_URL)'})
      }

      alerts.push(...(r.body.alerts.filter((a) => a && typeof a === 'object') as PagerDutyAlert[]))
      if (r.body.more !== true) break
    }

    return alerts
  }

  /** The clusters an incident is about, and its page. */
  async incidentClusters(incidentId: string): Promise<IncidentClusters> {
    const alerts = await this.incidentAlerts(incidentId)
    const ids = alerts.map((a) => clusterIdOfAlert(a)).filter((id): id is string => id !== undefined)
    const htmlUrl = alerts.map((a) => a.incident?.html_url).find((u): u is string => typeof u === 'string' && /^https?:\/\/\S+$/.test(u) && u.length <= 1024)
    return {clusterIds: [...new Set(ids)], htmlUrl, incidentId}
  }
}

function pagerDutyError(status: number, headers: Record<string, string | string[] | undefined>, body: unknown, incidentId: string): CliError {
  if (status === 401) return new CliError('PagerDuty rejected the API key (401 Unauthorized)', {code: 'HTTP_401', hint: 'set a valid REST API key with `backplane config set pd-key <token>`'})
  if (status === 403) return new CliError(`PagerDuty refused access to incident ${incidentId} (403 Forbidden)`, {code: 'HTTP_403', hint: 'use an API key whose user can see that incident'})
  if (status === 404) return new CliError(`PagerDuty has no incident ${incidentId} (404)`, {code: 'HTTP_404', hint: 'check the incident id or URL'})
  if (status === 429) {
    const seconds = retryAfterSeconds(headers['retry-after'])
    return new CliError(`PagerDuty rate limited the request, retry in ${seconds ?? 'a few'} s`, {code: 'HTTP_429', hint: 'wait, then run the same command again'})
  }

  const message = (body as {error?: {message?: unknown}})?.error?.message
  const detail = typeof message === 'string' ? `: ${excerptOf(message, 120)}` : typeof body === 'string' && body.trim() ? ` ("${excerptOf(body, 60)}")` : ''
  return new CliError(`PagerDuty answered ${status}${detail}`, {code: `HTTP_${status}`, hint: status >= 500 ? 'PagerDuty is failing: retry later' : 'check pagerduty-api-url and pd-key'})
}

/** `Retry-After` as seconds: a number of seconds, or an HTTP date. */
export function retryAfterSeconds(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value
  if (raw === undefined || raw.trim() === '') return undefined
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim())
  const when = Date.parse(raw)
  return Number.isNaN(when) ? undefined : Math.max(0, Math.ceil((when - now) / 1000))
}
