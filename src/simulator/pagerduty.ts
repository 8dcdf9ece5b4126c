// The PagerDuty role: REST API v2's `GET /incidents/{id}/alerts` under /pagerduty (the CLI's pagerduty-api-url is
// <simulator>/pagerduty). Auth is `Authorization: Token token=<key>`; errors are PagerDuty's {error: {message, code}}.
import {SEED} from './data.js'
import {type RequestContext, type SimState, pathSegments, sendJson} from './http.js'

export const PAGERDUTY_PREFIX = '/pagerduty'
/** The REST API key the simulator accepts. */
export const SIM_PD_KEY = 'sim-pd-key-0123456789'

export interface SimIncident {
  id: string
  /** Each alert's `body.details` (both shapes: `cluster_id`, or a "cluster has gone missing" `notes`). */
  alerts: Array<Record<string, unknown>>
  /** Answer 429 with this Retry-After (seconds) instead. */
  rateLimitedFor?: number
}

/** Incident ids of the seed. */
export const PD_INCIDENTS = {
  /** One alert whose details carry demo-cluster's `cluster_id`. */
  demo: 'Q1DEMO0INCIDENT',
  /** "Cluster has gone missing": the id is in the `notes`, on prod-east-1. */
  missing: 'Q2CHGM0INCIDENT',
  /** Two alerts on prod-east-1 and prod-east-2. */
  several: 'Q3MULTI0CLUSTER',
  /** Alerts that name no cluster. */
  none: 'Q4NO0CLUSTER',
  /** Answers 429 with Retry-After: 17. */
  limited: 'Q5RATE0LIMITED',
} as const

const stores = new WeakMap<SimState, Map<string, SimIncident>>()

/** The live incidents of a simulator; tests may add to it. */
export function incidentsOf(state: SimState): Map<string, SimIncident> {
  let map = stores.get(state)
  if (!map) {
    map = new Map(
      [
        {alerts: [{cluster_id: SEED.demo.id, namespace: 'openshift-monitoring', alert_name: 'KubePodCrashLooping'}], id: PD_INCIDENTS.demo},
        {
          alerts: [{name: `${SEED.prodEast1.name}.abcd.p1.openshiftapps.com`, notes: `cluster_id: ${SEED.prodEast1.id}\nDead man's snitch went silent 10 min ago`}],
          id: PD_INCIDENTS.missing,
        },
        {alerts: [{cluster_id: SEED.prodEast1.id}, {cluster_id: SEED.prodEast2.id}, {cluster_id: SEED.prodEast1.id}], id: PD_INCIDENTS.several},
        {alerts: [{summary: 'a synthetic check failed'}], id: PD_INCIDENTS.none},
        {alerts: [{cluster_id: SEED.demo.id}], id: PD_INCIDENTS.limited, rateLimitedFor: 17},
      ].map((i) => [i.id, i]),
    )
    stores.set(state, map)
  }

  return map
}

function pdError(ctx: RequestContext, status: number, message: string, code: number, headers: Record<string, string> = {}): void {
  sendJson(ctx.res, status, {error: {code, message}}, headers)
}

/** The web page of an incident in the simulated PagerDuty account (as PagerDuty's `html_url`: a page, never fetched). */
export function incidentUrl(id: string): string {
  return `https://backplane-sim.pagerduty.com/incidents/${id}`
}

export function handlePagerDuty(ctx: RequestContext, state: SimState): void {
  const auth = ctx.req.headers.authorization ?? ''
  if (auth !== `Token token=${SIM_PD_KEY}`) {
    pdError(ctx, 401, 'Unauthorized', 2006)
    return
  }

  const segments = pathSegments(ctx.path).slice(1)
  if (ctx.method !== 'GET' || segments.length !== 3 || segments[0] !== 'incidents' || segments[2] !== 'alerts') {
    pdError(ctx, 404, 'Not Found', 2100)
    return
  }

  const incident = incidentsOf(state).get(segments[1]!)
  if (!incident) {
    pdError(ctx, 404, 'Not Found', 2100)
    return
  }

  if (incident.rateLimitedFor !== undefined) {
    pdError(ctx, 429, 'Rate Limit Exceeded', 2020, {'Retry-After': String(incident.rateLimitedFor)})
    return
  }

  const limit = Math.min(Math.max(Number(ctx.query.get('limit') ?? 25) || 25, 1), 100)
  const offset = Math.max(Number(ctx.query.get('offset') ?? 0) || 0, 0)
  const html = incidentUrl(incident.id)
  const all = incident.alerts.map((details, i) => ({
    id: `A${incident.id.slice(1, 8)}${i}`,
    type: 'alert',
    summary: typeof details.summary === 'string' ? details.summary : `alert ${i + 1} of ${incident.id}`,
    self: `${state.url}${PAGERDUTY_PREFIX}/alerts/A${incident.id.slice(1, 8)}${i}`,
    html_url: `${html}/alerts/A${incident.id.slice(1, 8)}${i}`,
    status: 'triggered',
    created_at: '2024-05-04T03:12:00Z',
    alert_key: `${incident.id}-${i}`,
    service: {id: 'PSIM001', type: 'service_reference', summary: 'osd-cluster-alerts'},
    incident: {id: incident.id, type: 'incident_reference', html_url: html, self: `${state.url}${PAGERDUTY_PREFIX}/incidents/${incident.id}`},
    body: {type: 'alert_body', contexts: [], details},
  }))
  const page = all.slice(offset, offset + limit)
  sendJson(ctx.res, 200, {alerts: page, limit, offset, total: all.length, more: offset + limit < all.length})
}
