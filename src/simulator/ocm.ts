// The OCM role: the parts of api.openshift.com the CLI uses (clusters_mgmt and accounts_mgmt).
import {createHash, randomUUID} from 'node:crypto'

import {handleAccessTransparency} from './access-transparency.js'
import {OCM_ENVIRONMENT_NAME, type SimCluster, toOcmCluster} from './data.js'
import {type RequestContext, type SimState, authenticate, pathSegments, sendJson} from './http.js'
import {handleRelatedClusters} from './ocm-related.js'
import {SearchSyntaxError, evaluateSearch, parseSearch, searchFields} from './search.js'
import {emailFor} from './tokens.js'

const CLUSTERS_PATH = '/api/clusters_mgmt/v1/clusters'
/** Like OCM: a list answers at most this many items per page, whatever `size` asks for. */
export const MAX_PAGE_SIZE = 100

/** Fields the simulated OCM accepts in `search`, with how to read them from a cluster. */
const SEARCH_FIELDS: Record<string, (c: SimCluster) => unknown> = {
  id: (c) => c.id,
  name: (c) => c.name,
  external_id: (c) => c.external_id,
  display_name: (c) => c.display_name,
  state: (c) => c.status.state,
  'status.state': (c) => c.status.state,
  'api.url': (c) => c.api.url,
  'console.url': (c) => c.console.url,
  'dns.base_domain': (c) => c.dns.base_domain,
  'cloud_provider.id': (c) => c.cloud_provider.id,
  'region.id': (c) => c.region.id,
  'product.id': (c) => c.product.id,
  openshift_version: (c) => c.openshift_version,
  'version.raw_id': (c) => c.version.raw_id,
  'version.id': (c) => c.version.id,
  'hypershift.enabled': (c) => c.hypershift.enabled,
  managed: (c) => c.managed,
  multi_az: (c) => c.multi_az,
  creation_timestamp: (c) => c.creation_timestamp,
}

/** Sends an OCM-style error: {kind: "Error", id, href, code, reason, operation_id}. */
export function ocmError(ctx: RequestContext, status: number, reason: string): void {
  const service = ctx.path.startsWith('/api/accounts_mgmt') ? 'accounts_mgmt' : 'clusters_mgmt'
  const prefix = service === 'accounts_mgmt' ? 'ACCOUNT-MGMT' : 'CLUSTERS-MGMT'
  sendJson(ctx.res, status, {
    kind: 'Error',
    id: String(status),
    href: `/api/${service}/v1/errors/${status}`,
    code: `${prefix}-${status}`,
    reason,
    operation_id: randomUUID(),
  })
}

/** Handles every request under /api. */
export function handleOcm(ctx: RequestContext, state: SimState): void {
  const auth = authenticate(ctx, state)
  if (!auth.ok) {
    ocmError(ctx, 401, auth.reason)
    return
  }

  const username = auth.claims.preferred_username
  const segments = pathSegments(ctx.path)
  const route = segments.join('/')

  if (route === 'api/clusters_mgmt/v1/environment') {
    if (!allowMethod(ctx, 'GET')) return
    sendJson(ctx.res, 200, {kind: 'Environment', name: OCM_ENVIRONMENT_NAME, backplane_url: state.url})
    return
  }

  if (route === 'api/clusters_mgmt/v1/clusters') {
    if (!allowMethod(ctx, 'GET')) return
    listClusters(ctx, state)
    return
  }

  if (segments.length === 5 && route.startsWith('api/clusters_mgmt/v1/clusters/')) {
    if (!allowMethod(ctx, 'GET')) return
    const id = segments[4]!
    const cluster = state.clusters.find((c) => c.id === id)
    if (cluster) sendJson(ctx.res, 200, toOcmCluster(cluster))
    else ocmError(ctx, 404, `Cluster '${id}' not found`)
    return
  }

  if (route === 'api/accounts_mgmt/v1/access_token') {
    if (!allowMethod(ctx, 'POST')) return
    sendJson(ctx.res, 200, pullSecret(username))
    return
  }

  if (route === 'api/accounts_mgmt/v1/current_account') {
    if (!allowMethod(ctx, 'GET')) return
    sendJson(ctx.res, 200, currentAccount(username))
    return
  }

  if (handleAccessTransparency(ctx, state, segments, username)) return
  if (handleRelatedClusters(ctx, state, segments)) return
  ocmError(ctx, 404, `Resource '${ctx.path}' not found`)
}

function allowMethod(ctx: RequestContext, method: string): boolean {
  if (ctx.method === method) return true
  ocmError(ctx, 405, `Method '${ctx.method}' is not allowed for '${ctx.path}'`)
  return false
}

function listClusters(ctx: RequestContext, state: SimState): void {
  const size = intParam(ctx.query, 'size', 100)
  const page = intParam(ctx.query, 'page', 1)
  if (size === undefined || size < 0) {
    ocmError(ctx, 400, `Value '${ctx.query.get('size')}' of parameter 'size' must be a non-negative integer`)
    return
  }

  if (page === undefined || page < 1) {
    ocmError(ctx, 400, `Value '${ctx.query.get('page')}' of parameter 'page' must be a positive integer`)
    return
  }

  const search = ctx.query.get('search') ?? ''
  let expr
  try {
    expr = parseSearch(search)
  } catch (error) {
    if (!(error instanceof SearchSyntaxError)) throw error
    ocmError(ctx, 400, `Can't parse search query '${search}': ${error.message}`)
    return
  }

  const unknown = searchFields(expr).find((f) => !(f in SEARCH_FIELDS))
  if (unknown !== undefined) {
    ocmError(ctx, 400, `Can't parse search query '${search}': '${unknown}' is not a valid field name`)
    return
  }

  const matches = state.clusters.filter((c) =>
    evaluateSearch(expr, (field) => {
      const value = SEARCH_FIELDS[field]?.(c)
      return value === undefined || value === null ? undefined : String(value)
    }),
  )
  const pageSize = Math.min(size, MAX_PAGE_SIZE)
  const items = matches.slice((page - 1) * pageSize, page * pageSize).map((c) => toOcmCluster(c))
  sendJson(ctx.res, 200, {kind: 'ClusterList', href: CLUSTERS_PATH, page, size: items.length, total: matches.length, items})
}

function intParam(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = query.get(name)
  if (raw === null || raw === '') return fallback
  return /^-?\d+$/.test(raw) ? Number(raw) : undefined
}

function stableId(seed: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const digest = createHash('sha256').update(seed).digest()
  let id = ''
  for (let i = 0; i < 27; i++) id += alphabet[digest[i]! % alphabet.length]
  return id
}

function pullSecret(username: string): unknown {
  const email = emailFor(username)
  const auth = (registry: string): string =>
    Buffer.from(`${username}:${stableId(`pull-secret:${registry}:${username}`)}`).toString('base64')
  const registries = ['cloud.openshift.com', 'quay.io', 'registry.connect.redhat.com', 'registry.redhat.io']
  return {auths: Object.fromEntries(registries.map((r) => [r, {auth: auth(r), email}]))}
}

function currentAccount(username: string): unknown {
  const id = stableId(`account:${username}`)
  return {
    kind: 'Account',
    id,
    href: `/api/accounts_mgmt/v1/accounts/${id}`,
    username,
    email: emailFor(username),
    first_name: 'SRE',
    last_name: 'Demo',
    organization: {
      kind: 'Organization',
      id: stableId('organization:simulator'),
      href: `/api/accounts_mgmt/v1/organizations/${stableId('organization:simulator')}`,
      name: 'Backplane Simulator SRE',
      external_id: '12345678',
    },
  }
}
