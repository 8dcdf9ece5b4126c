// A minimal Kubernetes API behind backplane's proxy, /backplane/cluster/{id}/…: discovery, /version and
// namespaces (list, get, watch; JSON or server-side-printed Table), enough for kubectl and @kubernetes/client-node.
import {createHash} from 'node:crypto'

import {accessAllowed} from './access-transparency.js'
import {handleSessions} from './kube-sessions.js'
import {FORBIDDEN_NAMESPACE, type SimCluster} from './data.js'
import {type RequestContext, type SimState, authenticate, pathSegments, sendJson} from './http.js'
import {consoleApiGroups, handleConsoleObjects} from './kube-console.js'
import {coreResources, enforceElevation, handleStore, identify, namespaceMeta} from './kube-store.js'

export const KUBE_PROXY_PREFIX = '/backplane/cluster/'
/** A remediation instance's proxy: /backplane/remediate/{clusterId}/{instanceId}/… (the same Kubernetes API). */
export const REMEDIATE_PROXY_PREFIX = '/backplane/remediate/'

interface StatusOptions {
  reason: string
  message: string
  details?: Record<string, unknown>
}

/** Sends a Kubernetes `Status` failure object. */
export function kubeStatus(ctx: RequestContext, code: number, {reason, message, details}: StatusOptions): void {
  sendJson(ctx.res, code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? {details} : {}),
    code,
  })
}

function notFound(ctx: RequestContext): void {
  kubeStatus(ctx, 404, {
    reason: 'NotFound',
    message: 'the server could not find the requested resource',
    details: {causes: [{reason: 'UnexpectedServerResponse', message: '404 page not found'}]},
  })
}

/** Handles /backplane/cluster/{id}/… */
export function handleKube(ctx: RequestContext, state: SimState): void {
  const auth = authenticate(ctx, state)
  if (!auth.ok) {
    kubeStatus(ctx, 401, {reason: 'Unauthorized', message: `Unauthorized: ${auth.reason}`})
    return
  }

  const username = auth.claims.preferred_username
  // segments: backplane, cluster, <id>, …rest — or backplane, remediate, <id>, <instance>, …rest
  const segments = pathSegments(ctx.path)
  const clusterId = segments[2]
  const remediate = segments[1] === 'remediate'
  if (remediate) {
    const instance = state.remediations.get(segments[3] ?? '')
    if (!instance || instance.proxyClusterId !== clusterId) {
      kubeStatus(ctx, 403, {reason: 'Forbidden', message: `remediation instance ${segments[3] ?? ''} does not exist on cluster ${clusterId ?? ''}`})
      return
    }
  }

  const cluster = state.clusters.find((c) => c.id === clusterId)
  if (!cluster) {
    kubeStatus(ctx, 404, {reason: 'NotFound', message: `cluster ${clusterId ?? ''} not found`})
    return
  }

  if (cluster.sim.loginForbidden || !accessAllowed(state, cluster)) {
    kubeStatus(ctx, 403, {reason: 'Forbidden', message: `user ${username} is not allowed to access cluster ${cluster.id}`})
    return
  }

  if (cluster.status.state !== 'ready') {
    kubeStatus(ctx, 503, {
      reason: 'ServiceUnavailable',
      message: `cluster ${cluster.name} is ${cluster.status.state}; its API server is not reachable`,
    })
    return
  }

  if (cluster.sim.kubeFault === 'hang') {
    // Never answers: the request stays open until the client gives up (or the simulator stops).
    return
  }

  if (cluster.sim.kubeFault === 'error') {
    kubeStatus(ctx, 500, {reason: 'InternalError', message: `Internal error occurred: etcdserver: request timed out (cluster ${cluster.name})`})
    return
  }

  const rest = segments.slice(remediate ? 4 : 3)
  const route = rest.join('/')
  if (!remediate && route === 'audit' && ctx.method === 'GET') {
    // Debug path of the simulator: the elevated requests this cluster saw, with their reasons.
    sendJson(ctx.res, 200, {items: state.audit.filter((a) => a.clusterId === cluster.id), kind: 'AuditList'})
    return
  }

  // Backplane sessions (service accounts, SelfSubjectReview) need no elevation.
  if (!remediate && handleSessions(ctx, cluster, rest, username)) return
  // A remediation instance acts with its own service account's rights: elevation is enforced on the cluster proxy.
  if (!remediate) {
    const who = identify(ctx, username)
    if (!who || enforceElevation(ctx, state, cluster, rest, who)) return
  }

  if ((!remediate || ctx.method === 'GET') && handleStore(ctx, cluster, rest)) return
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    kubeStatus(ctx, 405, {reason: 'MethodNotAllowed', message: `the server does not allow this method on the requested resource`})
    return
  }

  switch (route) {
    case 'version': {
      sendJson(ctx.res, 200, versionInfo(cluster))
      return
    }

    case 'healthz':
    case 'livez':
    case 'readyz': {
      ctx.res.writeHead(200, {'Content-Type': 'text/plain; charset=utf-8'})
      ctx.res.end('ok')
      return
    }

    case 'api': {
      sendJson(ctx.res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: new URL(cluster.api.url).host}],
      })
      return
    }

    case 'apis': {
      sendJson(ctx.res, 200, {kind: 'APIGroupList', apiVersion: 'v1', groups: [...consoleApiGroups()]})
      return
    }

    case 'api/v1': {
      sendJson(ctx.res, 200, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: coreResources(),
      })
      return
    }

    case 'api/v1/namespaces': {
      listNamespaces(ctx, state, cluster)
      return
    }
  }

  if (route === 'apis/user.openshift.io/v1/users/~') {
    sendJson(ctx.res, 200, {kind: 'User', apiVersion: 'user.openshift.io/v1', metadata: {name: username}, groups: ['system:authenticated']})
    return
  }

  if (rest.length === 4 && rest[0] === 'api' && rest[1] === 'v1' && rest[2] === 'namespaces') {
    getNamespace(ctx, cluster, rest[3]!, username)
    return
  }

  if (handleConsoleObjects(ctx, cluster, rest)) return
  notFound(ctx)
}

interface Namespace {
  kind: 'Namespace'
  apiVersion: 'v1'
  metadata: {
    name: string
    uid: string
    resourceVersion: string
    creationTimestamp: string
    annotations?: Record<string, string>
    labels: Record<string, string>
  }
  spec: {finalizers: string[]}
  status: {phase: 'Active'}
}

/** A namespace as served: derived from its name, with the labels and annotations stored for it (kube-store.ts). */
export function namespaceObject(cluster: SimCluster, name: string): Namespace {
  const stored = namespaceMeta(cluster, name)
  const digest = createHash('sha256').update(`${cluster.id}/${name}`).digest('hex')
  const uid = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-9${digest.slice(17, 20)}-${digest.slice(20, 32)}`
  // Namespaces that aren't the cluster's defaults appear a day after the cluster was created.
  const created = new Date(cluster.creation_timestamp)
  if (!name.startsWith('openshift') && !name.startsWith('kube') && name !== 'default') created.setUTCDate(created.getUTCDate() + 1)
  if (stored.created) created.setTime(Date.parse(stored.created))
  return {
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: {
      name,
      uid,
      resourceVersion: String(parseInt(digest.slice(0, 6), 16)),
      creationTimestamp: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...(stored.annotations ? {annotations: stored.annotations} : {}),
      labels: {...stored.labels, 'kubernetes.io/metadata.name': name},
    },
    spec: {finalizers: ['kubernetes']},
    status: {phase: 'Active'},
  }
}

/** The Table version the client asked for (meta.k8s.io/v1 or v1beta1), if it asked for server-side printing. */
export function requestedTableVersion(ctx: RequestContext): string | undefined {
  const accept = ctx.req.headers.accept ?? ''
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    )
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io') return params.get('v') ?? 'v1'
  }

  return undefined
}

function table(ctx: RequestContext, version: string, namespaces: Namespace[], resourceVersion: string): unknown {
  const includeObject = ctx.query.get('includeObject') ?? 'Metadata'
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: {resourceVersion},
    columnDefinitions: [
      {name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0},
      {name: 'Status', type: 'string', format: '', description: 'The status of the namespace', priority: 0},
      {name: 'Age', type: 'string', format: '', description: 'CreationTimestamp is the time the object was created.', priority: 0},
    ],
    rows: namespaces.map((ns) => ({
      cells: [ns.metadata.name, ns.status.phase, humanDuration(Date.now() - Date.parse(ns.metadata.creationTimestamp))],
      ...(includeObject === 'None'
        ? {}
        : {
            object:
              includeObject === 'Object'
                ? ns
                : {kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: ns.metadata},
          }),
    })),
  }
}

type Selector<T> = (object: T) => boolean

/** Parses simple equality selectors (`a=b`, `a==b`, `a!=b`, `a`, `!a`) joined by commas. */
export function parseSelector<T>(raw: string | null, read: (object: T, key: string) => string | undefined): Selector<T> | undefined {
  if (raw === null || raw.trim() === '') return () => true
  const tests: Array<Selector<T>> = []
  for (const term of raw.split(',').map((t) => t.trim())) {
    const m = /^(!?)([A-Za-z0-9./_-]+)(?:\s*(==|=|!=)\s*([A-Za-z0-9._-]*))?$/.exec(term)
    if (!m) return undefined
    const [, not, key, op, value] = m as unknown as [string, string, string, string | undefined, string | undefined]
    if (op === undefined) tests.push((ns) => (read(ns, key) !== undefined) !== (not === '!'))
    else if (not === '!') return undefined
    else if (op === '!=') tests.push((ns) => read(ns, key) !== value)
    else tests.push((ns) => read(ns, key) === value)
  }

  return (ns) => tests.every((t) => t(ns))
}

function listNamespaces(ctx: RequestContext, state: SimState, cluster: SimCluster): void {
  const labelSelector = parseSelector(ctx.query.get('labelSelector'), (ns: Namespace, key) => ns.metadata.labels[key])
  const fieldSelector = parseSelector(ctx.query.get('fieldSelector'), (ns: Namespace, key) =>
    key === 'metadata.name' ? ns.metadata.name : key === 'status.phase' ? ns.status.phase : undefined,
  )
  if (!labelSelector || !fieldSelector) {
    kubeStatus(ctx, 400, {reason: 'BadRequest', message: 'unable to parse requirement: unsupported selector'})
    return
  }

  const namespaces = cluster.sim.namespaces
    .map((name) => namespaceObject(cluster, name))
    .filter((ns) => labelSelector(ns) && fieldSelector(ns))
  const resourceVersion = String(namespaces.reduce((max, ns) => Math.max(max, Number(ns.metadata.resourceVersion)), 1))
  const tableVersion = requestedTableVersion(ctx)
  const watch = ctx.query.get('watch')
  if (watch === 'true' || watch === '1') {
    watchNamespaces(ctx, state, namespaces, tableVersion)
    return
  }

  if (tableVersion) {
    sendJson(ctx.res, 200, table(ctx, tableVersion, namespaces, resourceVersion))
    return
  }

  sendJson(ctx.res, 200, {kind: 'NamespaceList', apiVersion: 'v1', metadata: {resourceVersion}, items: namespaces})
}

/** Streams an ADDED event per namespace, then holds the stream open (until timeoutSeconds, the client leaves, or stop). */
function watchNamespaces(ctx: RequestContext, state: SimState, namespaces: Namespace[], tableVersion: string | undefined): void {
  ctx.res.writeHead(200, {'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked'})
  // Nothing ever changes here: a watch from a given resourceVersion (as kubectl get -w sends) has nothing to report.
  const resourceVersion = ctx.query.get('resourceVersion')
  if (!resourceVersion || resourceVersion === '0') {
    for (const ns of namespaces) {
      const object = tableVersion ? table(ctx, tableVersion, [ns], ns.metadata.resourceVersion) : ns
      ctx.res.write(`${JSON.stringify({type: 'ADDED', object})}\n`)
    }
  }

  const timeouts = [Number(ctx.query.get('timeoutSeconds') ?? ''), goDurationSeconds(ctx.query.get('timeout'))].filter(
    (t) => Number.isFinite(t) && t > 0,
  )
  if (timeouts.length > 0) {
    const timer = setTimeout(() => {
      state.timers.delete(timer)
      ctx.res.end()
    }, Math.min(...timeouts) * 1000)
    state.timers.add(timer)
    ctx.res.on('close', () => {
      clearTimeout(timer)
      state.timers.delete(timer)
    })
  }
}

function getNamespace(ctx: RequestContext, cluster: SimCluster, name: string, username: string): void {
  if (name === FORBIDDEN_NAMESPACE) {
    kubeStatus(ctx, 403, {
      reason: 'Forbidden',
      message: `namespaces "${name}" is forbidden: User "${username}" cannot get resource "namespaces" in API group "" in the namespace "${name}"`,
      details: {name, kind: 'namespaces'},
    })
    return
  }

  if (!cluster.sim.namespaces.includes(name)) {
    kubeStatus(ctx, 404, {reason: 'NotFound', message: `namespaces "${name}" not found`, details: {name, kind: 'namespaces'}})
    return
  }

  const ns = namespaceObject(cluster, name)
  const tableVersion = requestedTableVersion(ctx)
  sendJson(ctx.res, 200, tableVersion ? table(ctx, tableVersion, [ns], ns.metadata.resourceVersion) : ns)
}

/** Seconds in a Go duration such as `32s`, `1m30s` or `500ms`; NaN when absent or malformed. */
function goDurationSeconds(raw: string | null): number {
  if (!raw || !/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(raw)) return Number.NaN
  const units: Record<string, number> = {h: 3600, m: 60, s: 1, ms: 0.001}
  let total = 0
  for (const [, amount, unit] of raw.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) total += Number(amount) * units[unit!]!
  return total
}

/** Kubernetes' version for the cluster's OpenShift version (OpenShift 4.N ships Kubernetes 1.(N+13)). */
function versionInfo(cluster: SimCluster): unknown {
  const [, minor = '15', patch = '0'] = cluster.openshift_version.split('.')
  const kubeMinor = String(Number(minor) + 13)
  const commit = createHash('sha1').update(cluster.openshift_version).digest('hex')
  return {
    major: '1',
    minor: kubeMinor,
    gitVersion: `v1.${kubeMinor}.${patch}+${commit.slice(0, 7)}`,
    gitCommit: commit,
    gitTreeState: 'clean',
    buildDate: '2024-02-20T00:00:00Z',
    goVersion: 'go1.21.7',
    compiler: 'gc',
    platform: 'linux/amd64',
  }
}

/** Kubernetes' short human duration (as in `kubectl get`'s AGE column). */
export function humanDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  if (seconds < 120) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`
  if (minutes < 180) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`
  if (hours < 48) return `${hours}h`
  const days = Math.floor(hours / 24)
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`
  if (days < 365 * 2) return `${days}d`
  const years = Math.floor(days / 365)
  if (years < 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`
  return `${years}y`
}
