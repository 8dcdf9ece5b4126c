// OCM's access transparency API (/api/access_transparency/v1): access protection per cluster, and access requests
// that go Pending → Approved, either after a delay (the customer approving) or on the debug call
//   POST /debug/access_requests/{id}/approve      (no auth: the simulator's own control, not OCM's)
// An access-protected cluster's backplane login (and its Kubernetes API) answer 403 until a request is approved.
import {createHash} from 'node:crypto'

import type {SimCluster} from './data.js'

import {type RequestContext, type SimState, sendJson} from './http.js'
import {SearchSyntaxError, evaluateSearch, parseSearch} from './search.js'

export const ACCESS_TRANSPARENCY_PATH = 'api/access_transparency/v1'
export const DEBUG_PREFIX = '/debug/access_requests/'

export interface SimAccessRequest {
  id: string
  cluster_id: string
  justification: string
  internal_support_case_id: string
  duration: string
  requested_by: string
  created_at: string
  deadline: string
  deadline_at: string
  status: {state: 'Approved' | 'Denied' | 'Expired' | 'Pending'; expires_at?: string}
  decisions: Array<{decision: string; justification: string; decided_by: string; created_at: string}>
}

export interface AccessRequestOptions {
  /** The customer approves a new request after this long (default 30 s; 0: never, only the debug call). */
  approveAfterMs?: number
}

export interface AccessRequestsControl {
  /** Every request, newest last; tests may read and change them. */
  requests: SimAccessRequest[]
  /** Approve a request now (what the debug call does); false when there is no such pending request. */
  approve(id: string): boolean
  /** Is backplane access open on the cluster: not protected, or an approved, unexpired request? */
  allows(cluster: SimCluster): boolean
}

interface Store {
  approveAfterMs: number
  requests: SimAccessRequest[]
}

const stores = new WeakMap<SimState, Store>()

function storeOf(state: SimState): Store {
  let store = stores.get(state)
  if (!store) {
    store = {approveAfterMs: 30_000, requests: []}
    stores.set(state, store)
  }

  return store
}

export function accessRequestsControl(state: SimState, opts: AccessRequestOptions = {}): AccessRequestsControl {
  const store = storeOf(state)
  if (opts.approveAfterMs !== undefined) store.approveAfterMs = opts.approveAfterMs
  return {
    get requests() {
      return store.requests
    },
    approve: (id) => approve(store, id),
    allows: (cluster) => accessAllowed(state, cluster),
  }
}

/** Backplane lets users into a protected cluster only with an approved, unexpired request. */
export function accessAllowed(state: SimState, cluster: SimCluster): boolean {
  if (!cluster.sim.accessProtected) return true
  const now = Date.now()
  return storeOf(state).requests.some((r) => r.cluster_id === cluster.id && r.status.state === 'Approved' && Date.parse(r.status.expires_at ?? '') > now)
}

function approve(store: Store, id: string): boolean {
  const r = store.requests.find((x) => x.id === id && x.status.state === 'Pending')
  if (!r) return false
  const ms = goDurationMs(r.duration) ?? 8 * 3_600_000
  r.status = {expires_at: new Date(Date.now() + ms).toISOString(), state: 'Approved'}
  r.decisions.push({created_at: new Date().toISOString(), decided_by: 'customer@example.com', decision: 'Approved', justification: 'approved by the customer'})
  return true
}

function goDurationMs(text: string): number | undefined {
  if (!/^((\d+(\.\d*)?)(h|m|s|ms))+$/.test(text)) return undefined
  const unit: Record<string, number> = {h: 3_600_000, m: 60_000, ms: 1, s: 1000}
  let total = 0
  for (const [, n, u] of text.matchAll(/(\d+(?:\.\d*)?)(ms|h|m|s)/g)) total += Number(n) * unit[u!]!
  return total
}

function atError(ctx: RequestContext, status: number, reason: string): void {
  sendJson(ctx.res, status, {code: `ACCESS-TRANSPARENCY-${status}`, href: `/api/access_transparency/v1/errors/${status}`, id: String(status), kind: 'Error', reason})
}

/** The debug call `POST /debug/access_requests/{id}/approve`. */
export function handleAccessDebug(ctx: RequestContext, state: SimState): void {
  const match = /^\/debug\/access_requests\/([^/]+)\/approve$/.exec(ctx.path)
  if (ctx.method !== 'POST' || !match) {
    sendJson(ctx.res, 404, {message: `${ctx.method} ${ctx.path} is not a debug call of the simulator`})
    return
  }

  if (approve(storeOf(state), decodeURIComponent(match[1]!))) sendJson(ctx.res, 200, {approved: match[1]})
  else sendJson(ctx.res, 404, {message: `no pending access request ${match[1]}`})
}

/** Handles /api/access_transparency/v1/…; false when the path is not one of its. */
export function handleAccessTransparency(ctx: RequestContext, state: SimState, segments: string[], username: string): boolean {
  if (segments.slice(0, 3).join('/') !== ACCESS_TRANSPARENCY_PATH) return false
  const store = storeOf(state)
  const rest = segments.slice(3)

  if (rest.length === 1 && rest[0] === 'access_protection' && ctx.method === 'GET') {
    const id = ctx.query.get('clusterId') ?? ''
    const cluster = state.clusters.find((c) => c.id === id)
    if (!cluster) atError(ctx, 404, `Cluster '${id}' not found`)
    else sendJson(ctx.res, 200, {enabled: cluster.sim.accessProtected === true})
    return true
  }

  if (rest.length === 1 && rest[0] === 'access_requests' && ctx.method === 'GET') {
    const search = ctx.query.get('search') ?? ''
    let expr
    try {
      expr = parseSearch(search)
    } catch (error) {
      if (!(error instanceof SearchSyntaxError)) throw error
      atError(ctx, 400, `Can't parse search query '${search}': ${error.message}`)
      return true
    }

    const fields: Record<string, (r: SimAccessRequest) => string | undefined> = {cluster_id: (r) => r.cluster_id, id: (r) => r.id, 'status.state': (r) => r.status.state}
    const items = store.requests.filter((r) => evaluateSearch(expr, (f) => fields[f]?.(r))).reverse().map((r) => served(r))
    sendJson(ctx.res, 200, {items, kind: 'AccessRequestList', page: 1, size: items.length, total: items.length})
    return true
  }

  if (rest.length === 1 && rest[0] === 'access_requests' && ctx.method === 'POST') {
    createRequest(ctx, state, store, username)
    return true
  }

  if (rest.length === 3 && rest[0] === 'access_requests' && rest[2] === 'decisions' && ctx.method === 'POST') {
    const r = store.requests.find((x) => x.id === rest[1])
    if (!r) {
      atError(ctx, 404, `Access request '${rest[1]}' not found`)
      return true
    }

    let body: {decision?: unknown; justification?: unknown}
    try {
      body = JSON.parse(ctx.body)
    } catch {
      atError(ctx, 400, 'the request body is not JSON')
      return true
    }

    if (body.decision !== 'Expired' || (r.status.state !== 'Pending' && r.status.state !== 'Approved')) {
      atError(ctx, 400, `decision '${String(body.decision)}' is not allowed on an access request in state ${r.status.state}`)
      return true
    }

    r.status = {state: 'Expired'}
    const decision = {created_at: new Date().toISOString(), decided_by: username, decision: 'Expired', justification: String(body.justification ?? '')}
    r.decisions.push(decision)
    sendJson(ctx.res, 201, {kind: 'Decision', ...decision})
    return true
  }

  atError(ctx, 404, `Resource '${ctx.path}' not found`)
  return true
}

function createRequest(ctx: RequestContext, state: SimState, store: Store, username: string): void {
  let body: Record<string, unknown>
  try {
    body = JSON.parse(ctx.body)
  } catch {
    atError(ctx, 400, 'the request body is not JSON')
    return
  }

  const cluster = state.clusters.find((c) => c.id === body.cluster_id)
  if (!cluster) {
    atError(ctx, 404, `Cluster '${String(body.cluster_id)}' not found`)
    return
  }

  if (!cluster.sim.accessProtected) {
    atError(ctx, 400, `Access protection is not enabled for cluster '${cluster.id}'`)
    return
  }

  for (const field of ['justification', 'internal_support_case_id', 'duration'] as const) {
    if (typeof body[field] !== 'string' || (body[field] as string).trim() === '') {
      atError(ctx, 400, `Attribute '${field}' is required`)
      return
    }
  }

  if (goDurationMs(body.duration as string) === undefined) {
    atError(ctx, 400, `Attribute 'duration' must be a duration, got '${String(body.duration)}'`)
    return
  }

  if (store.requests.some((r) => r.cluster_id === cluster.id && (r.status.state === 'Pending' || r.status.state === 'Approved'))) {
    atError(ctx, 409, `Cluster '${cluster.id}' already has an active access request`)
    return
  }

  const now = new Date()
  const id = createHash('sha256').update(`${cluster.id}:${store.requests.length}:${now.toISOString()}`).digest('hex').slice(0, 27)
  const request: SimAccessRequest = {
    cluster_id: cluster.id,
    created_at: now.toISOString(),
    deadline: '12h',
    deadline_at: new Date(now.getTime() + 12 * 3_600_000).toISOString(),
    decisions: [],
    duration: body.duration as string,
    id,
    internal_support_case_id: body.internal_support_case_id as string,
    justification: body.justification as string,
    requested_by: username,
    status: {state: 'Pending'},
  }
  store.requests.push(request)
  if (store.approveAfterMs > 0) {
    const timer = setTimeout(() => {
      state.timers.delete(timer)
      approve(store, id)
    }, store.approveAfterMs)
    state.timers.add(timer)
  }

  sendJson(ctx.res, 201, served(request))
}

function served(r: SimAccessRequest): unknown {
  return {kind: 'AccessRequest', href: `/api/access_transparency/v1/access_requests/${r.id}`, ...r}
}
