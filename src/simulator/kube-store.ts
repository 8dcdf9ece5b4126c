// Elevation, the way a managed cluster enforces it, and a small in-memory object store behind kube.ts.
// - Writes (POST/PUT/PATCH/DELETE) and reads of secrets answer 403 unless the request impersonates
//   backplane-cluster-admin with a non-empty reason (Impersonate-User + Impersonate-Extra-Reason, what
//   kubectl sends for a kubeconfig user with `as` and `as-user-extra: {reason: […]}`).
// - Every elevated request is recorded with its reasons (the audit trail: Simulator.audit, GET
//   /backplane/cluster/<id>/audit, and a log line).
// - Namespaces (the cluster's sim.namespaces, plus labels), configmaps, pods and secrets can be created,
//   read, listed, labelled (merge/strategic merge patch), replaced and deleted, so real kubectl works.
import {createHash} from 'node:crypto'

import type {SimCluster} from './data.js'

import {type RequestContext, type SimState, sendJson} from './http.js'
import {humanDuration, kubeStatus, namespaceObject, parseSelector, requestedTableVersion} from './kube.js'

export const ELEVATED_USER = 'backplane-cluster-admin'

export interface AuditRecord {
  clusterId: string
  method: string
  /** Path (with query) below /backplane/cluster/<id>. */
  path: string
  reasons: string[]
  time: string
  /** The real user (from the token). */
  user: string
  /** Whom the request acted as. */
  as: string
}

interface KubeObject {
  apiVersion: string
  data?: Record<string, string>
  kind: string
  metadata: {
    annotations?: Record<string, string>
    creationTimestamp: string
    labels?: Record<string, string>
    name: string
    namespace?: string
    resourceVersion: string
    uid: string
  }
  [key: string]: unknown
}

interface Store {
  /** Labels and annotations set on namespaces (their objects are otherwise derived from sim.namespaces). */
  namespaceMeta: Map<string, NamespaceMeta>
  /** `<resource>/<namespace>/<name>` → object */
  objects: Map<string, KubeObject>
}

const stores = new WeakMap<SimCluster, Store>()
let resourceVersion = 1000

function storeOf(cluster: SimCluster): Store {
  let store = stores.get(cluster)
  if (!store) {
    store = {namespaceMeta: new Map(), objects: new Map()}
    stores.set(cluster, store)
  }

  return store
}

const NAMESPACED: Record<string, {kind: string; shortNames?: string[]; singularName: string}> = {
  configmaps: {kind: 'ConfigMap', shortNames: ['cm'], singularName: 'configmap'},
  pods: {kind: 'Pod', shortNames: ['po'], singularName: 'pod'},
  secrets: {kind: 'Secret', singularName: 'secret'},
  serviceaccounts: {kind: 'ServiceAccount', shortNames: ['sa'], singularName: 'serviceaccount'},
}

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']

/** The resources of /api/v1 discovery. */
export function coreResources(): unknown[] {
  return [
    {kind: 'Namespace', name: 'namespaces', namespaced: false, shortNames: ['ns'], singularName: 'namespace', verbs: VERBS},
    ...Object.entries(NAMESPACED).map(([name, r]) => ({...r, name, namespaced: true, verbs: VERBS})),
  ]
}

export interface NamespaceMeta {
  annotations?: Record<string, string>
  /** When it was created through the API. */
  created?: string
  labels?: Record<string, string>
}

/** Labels and annotations stored for a namespace (from create or label). */
export function namespaceMeta(cluster: SimCluster, name: string): NamespaceMeta {
  return storeOf(cluster).namespaceMeta.get(name) ?? {}
}

export interface Identity {
  /** Whom the request acts as (the user, or the impersonated one). */
  as: string
  elevated: boolean
  reasons: string[]
  user: string
}

/**
 * The identity of a request, or false when it asked for an impersonation the cluster refuses
 * (someone other than backplane-cluster-admin, or that one without a reason); a 403 has been sent.
 */
export function identify(ctx: RequestContext, user: string): false | Identity {
  const headers = ctx.req.headersDistinct
  const as = headers['impersonate-user']?.[0]
  const reasons = (headers['impersonate-extra-reason'] ?? []).map((r) => r.trim()).filter((r) => r !== '')
  if (as === undefined) return {as: user, elevated: false, reasons: [], user}
  if (as !== ELEVATED_USER || reasons.length === 0) {
    const why = as === ELEVATED_USER ? `without a reason (${ELEVATED_USER} needs the Impersonate-Extra-Reason header)` : ''
    kubeStatus(ctx, 403, {
      details: {kind: 'users', name: as},
      message: `users "${as}" is forbidden: User "${user}" cannot impersonate resource "users" in API group "" at the cluster scope${why ? ` ${why}` : ''}`,
      reason: 'Forbidden',
    })
    return false
  }

  return {as, elevated: true, reasons, user}
}

const VERB_OF: Record<string, string> = {DELETE: 'delete', PATCH: 'patch', POST: 'create', PUT: 'update'}

/**
 * Refuse what needs elevation (403, the Status kubectl prints) and record what was elevated.
 * `rest` is the path below /backplane/cluster/<id>/. True when a response has been sent.
 */
export function enforceElevation(ctx: RequestContext, state: SimState, cluster: SimCluster, rest: string[], who: Identity): boolean {
  const target = resourceOf(rest)
  const write = ctx.method in VERB_OF
  const secretRead = target?.resource === 'secrets'
  if (who.elevated) {
    if (target || write) {
      const query = ctx.query.toString()
      const record: AuditRecord = {
        as: who.as,
        clusterId: cluster.id,
        method: ctx.method,
        path: `/${rest.join('/')}${query ? `?${query}` : ''}`,
        reasons: who.reasons,
        time: new Date().toISOString(),
        user: who.user,
      }
      state.audit.push(record)
      state.log?.(`audit: ${cluster.id} ${record.user} as ${record.as} ${record.method} ${record.path} reason=${JSON.stringify(record.reasons)}`)
    }

    return false
  }

  if (!write && !secretRead) return false
  const verb = VERB_OF[ctx.method] ?? (target?.name ? 'get' : ctx.query.get('watch') ? 'watch' : 'list')
  const resource = target?.resource ?? rest.at(-1) ?? ''
  const scope = target?.namespace ? `in the namespace "${target.namespace}"` : 'at the cluster scope'
  kubeStatus(ctx, 403, {
    details: {kind: resource, ...(target?.name ? {name: target.name} : {})},
    message: `${resource}${target?.name ? ` "${target.name}"` : ''} is forbidden: User "${who.user}" cannot ${verb} resource "${resource}" in API group "" ${scope}`,
    reason: 'Forbidden',
  })
  return true
}

interface Target {
  name?: string
  namespace?: string
  resource: string
}

/** api/v1/namespaces[/<ns>[/<resource>[/<name>]]] and api/v1/<resource> → what they address. */
function resourceOf(rest: string[]): Target | undefined {
  if (rest[0] !== 'api' || rest[1] !== 'v1' || rest.length < 3) return undefined
  if (rest[2] === 'namespaces') {
    if (rest.length <= 4) return {name: rest[3], resource: 'namespaces'}
    if (rest.length <= 6 && NAMESPACED[rest[4]!]) return {name: rest[5], namespace: rest[3], resource: rest[4]!}
    return undefined
  }

  if (rest.length === 3 && NAMESPACED[rest[2]!]) return {resource: rest[2]!}
  return undefined
}

/** The store's routes; false when the path is not one of them (GET of namespaces stays with kube.ts). */
export function handleStore(ctx: RequestContext, cluster: SimCluster, rest: string[]): boolean {
  const target = resourceOf(rest)
  if (!target) return false
  if (target.resource === 'namespaces') return namespaceWrite(ctx, cluster, target.name)
  const {namespace, name, resource} = target
  if (namespace !== undefined && !cluster.sim.namespaces.includes(namespace)) {
    kubeStatus(ctx, 404, {details: {kind: 'namespaces', name: namespace}, message: `namespaces "${namespace}" not found`, reason: 'NotFound'})
    return true
  }

  const store = storeOf(cluster)
  const key = (ns: string, n: string) => `${resource}/${ns}/${n}`
  if (name === undefined) {
    if (ctx.method === 'POST' && namespace !== undefined) {
      const object = parseBody(ctx)
      if (!object) return true
      const objectName = object.metadata?.name
      if (typeof objectName !== 'string' || objectName === '') {
        kubeStatus(ctx, 422, {message: `${NAMESPACED[resource]!.kind} in version "v1" cannot be handled: metadata.name is required`, reason: 'Invalid'})
        return true
      }

      if (store.objects.has(key(namespace, objectName))) {
        alreadyExists(ctx, resource, objectName)
        return true
      }

      const created = newObject(cluster, resource, object, namespace)
      store.objects.set(key(namespace, objectName), created)
      sendJson(ctx.res, 201, created)
      return true
    }

    if (ctx.method !== 'GET') return false
    const items = [...store.objects.entries()]
      .filter(([k]) => k.startsWith(namespace === undefined ? `${resource}/` : `${resource}/${namespace}/`))
      .map(([, o]) => o)
    listObjects(ctx, resource, items)
    return true
  }

  const existing = store.objects.get(key(namespace!, name))
  if (!existing) {
    notFound(ctx, resource, name)
    return true
  }

  switch (ctx.method) {
    case 'GET': {
      sendObject(ctx, resource, existing)
      return true
    }

    case 'DELETE': {
      store.objects.delete(key(namespace!, name))
      sendJson(ctx.res, 200, existing)
      return true
    }

    case 'PATCH':
    case 'PUT': {
      const updated = ctx.method === 'PUT' ? parseBody(ctx) : patched(ctx, existing)
      if (!updated) return true
      const next = {...updated, metadata: {...updated.metadata, name, namespace, resourceVersion: nextVersion(), uid: existing.metadata.uid, creationTimestamp: existing.metadata.creationTimestamp}} as KubeObject
      store.objects.set(key(namespace!, name), next)
      sendJson(ctx.res, 200, next)
      return true
    }
  }

  return false
}

function namespaceWrite(ctx: RequestContext, cluster: SimCluster, name: string | undefined): boolean {
  const store = storeOf(cluster)
  if (ctx.method === 'POST' && name === undefined) {
    const object = parseBody(ctx)
    if (!object) return true
    const nsName = object.metadata?.name
    if (typeof nsName !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(nsName) || nsName.length > 63) {
      kubeStatus(ctx, 422, {message: `Namespace "${String(nsName)}" is invalid: metadata.name: Invalid value: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`, reason: 'Invalid'})
      return true
    }

    if (cluster.sim.namespaces.includes(nsName)) {
      alreadyExists(ctx, 'namespaces', nsName)
      return true
    }

    cluster.sim.namespaces.push(nsName)
    store.namespaceMeta.set(nsName, {annotations: object.metadata.annotations, created: new Date().toISOString(), labels: object.metadata.labels})
    sendJson(ctx.res, 201, namespaceObject(cluster, nsName))
    return true
  }

  if (name === undefined || !['DELETE', 'PATCH', 'PUT'].includes(ctx.method)) return false
  if (!cluster.sim.namespaces.includes(name)) {
    notFound(ctx, 'namespaces', name)
    return true
  }

  if (ctx.method === 'DELETE') {
    const gone = namespaceObject(cluster, name)
    cluster.sim.namespaces = cluster.sim.namespaces.filter((n) => n !== name)
    store.namespaceMeta.delete(name)
    for (const k of store.objects.keys()) if (k.split('/')[1] === name) store.objects.delete(k)
    sendJson(ctx.res, 200, gone)
    return true
  }

  const current = namespaceObject(cluster, name)
  const updated = ctx.method === 'PUT' ? parseBody(ctx) : patched(ctx, current as unknown as KubeObject)
  if (!updated) return true
  store.namespaceMeta.set(name, {...store.namespaceMeta.get(name), annotations: updated.metadata?.annotations, labels: updated.metadata?.labels})
  sendJson(ctx.res, 200, namespaceObject(cluster, name))
  return true
}

function nextVersion(): string {
  resourceVersion++
  return String(resourceVersion)
}

function newObject(cluster: SimCluster, resource: string, body: KubeObject, namespace: string): KubeObject {
  const name = body.metadata.name
  const digest = createHash('sha256').update(`${cluster.id}/${resource}/${namespace}/${name}/${Date.now()}/${Math.random()}`).digest('hex')
  const object: KubeObject = {
    ...body,
    apiVersion: 'v1',
    kind: NAMESPACED[resource]!.kind,
    metadata: {
      ...body.metadata,
      creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      name,
      namespace,
      resourceVersion: nextVersion(),
      uid: `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-8${digest.slice(17, 20)}-${digest.slice(20, 32)}`,
    },
  }
  if (resource === 'pods') object.status = {phase: 'Running', containerStatuses: podContainers(object).map((c) => ({name: c, ready: true, restartCount: 0}))}
  if (resource === 'secrets' && object.type === undefined) object.type = 'Opaque'
  return object
}

function podContainers(pod: KubeObject): string[] {
  const containers = (pod.spec as {containers?: Array<{name?: string}>} | undefined)?.containers ?? []
  return containers.map((c) => String(c.name ?? 'main'))
}

function parseBody(ctx: RequestContext): KubeObject | undefined {
  let value: unknown
  try {
    value = JSON.parse(ctx.body)
  } catch {
    kubeStatus(ctx, 400, {message: 'the request body is not JSON', reason: 'BadRequest'})
    return undefined
  }

  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    kubeStatus(ctx, 400, {message: 'the request body is not an object', reason: 'BadRequest'})
    return undefined
  }

  const object = value as KubeObject
  object.metadata ??= {} as KubeObject['metadata']
  return object
}

/** Apply a JSON merge patch (RFC 7386); a strategic merge patch is taken as one (enough for labels and data). */
function patched(ctx: RequestContext, current: KubeObject): KubeObject | undefined {
  const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim()
  if (type !== 'application/merge-patch+json' && type !== 'application/strategic-merge-patch+json') {
    kubeStatus(ctx, 415, {message: `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json`, reason: 'UnsupportedMediaType'})
    return undefined
  }

  const patch = parseBody(ctx)
  return patch ? (mergePatch(structuredClone(current), patch) as KubeObject) : undefined
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch
  const out: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? {...(target as Record<string, unknown>)} : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }

  return out
}

function alreadyExists(ctx: RequestContext, resource: string, name: string): void {
  kubeStatus(ctx, 409, {details: {kind: resource, name}, message: `${resource} "${name}" already exists`, reason: 'AlreadyExists'})
}

function notFound(ctx: RequestContext, resource: string, name: string): void {
  kubeStatus(ctx, 404, {details: {kind: resource, name}, message: `${resource} "${name}" not found`, reason: 'NotFound'})
}

const COLUMNS: Record<string, Array<{name: string; cell: (o: KubeObject) => unknown}>> = {
  configmaps: [{cell: (o) => Object.keys(o.data ?? {}).length, name: 'Data'}],
  pods: [
    {cell: (o) => `${podContainers(o).length}/${podContainers(o).length}`, name: 'Ready'},
    {cell: (o) => (o.status as {phase?: string} | undefined)?.phase ?? 'Pending', name: 'Status'},
    {cell: () => 0, name: 'Restarts'},
  ],
  secrets: [
    {cell: (o) => String(o.type ?? 'Opaque'), name: 'Type'},
    {cell: (o) => Object.keys(o.data ?? {}).length, name: 'Data'},
  ],
}

function tableOf(ctx: RequestContext, version: string, resource: string, items: KubeObject[]): unknown {
  const columns = COLUMNS[resource] ?? []
  const includeObject = ctx.query.get('includeObject') ?? 'Metadata'
  return {
    apiVersion: `meta.k8s.io/${version}`,
    columnDefinitions: [
      {description: 'Name must be unique within a namespace.', format: 'name', name: 'Name', priority: 0, type: 'string'},
      ...columns.map((c) => ({description: c.name, format: '', name: c.name, priority: 0, type: 'string'})),
      {description: 'CreationTimestamp is the time the object was created.', format: '', name: 'Age', priority: 0, type: 'string'},
    ],
    kind: 'Table',
    metadata: {resourceVersion: String(resourceVersion)},
    rows: items.map((o) => ({
      cells: [o.metadata.name, ...columns.map((c) => c.cell(o)), humanDuration(Date.now() - Date.parse(o.metadata.creationTimestamp))],
      ...(includeObject === 'None'
        ? {}
        : {object: includeObject === 'Object' ? o : {apiVersion: `meta.k8s.io/${version}`, kind: 'PartialObjectMetadata', metadata: o.metadata}}),
    })),
  }
}

function sendObject(ctx: RequestContext, resource: string, object: KubeObject): void {
  const version = requestedTableVersion(ctx)
  sendJson(ctx.res, 200, version ? tableOf(ctx, version, resource, [object]) : object)
}

function listObjects(ctx: RequestContext, resource: string, all: KubeObject[]): void {
  const labels = parseSelector(ctx.query.get('labelSelector'), (o: KubeObject, key) => o.metadata.labels?.[key])
  const fields = parseSelector(ctx.query.get('fieldSelector'), (o: KubeObject, key) =>
    key === 'metadata.name' ? o.metadata.name : key === 'metadata.namespace' ? o.metadata.namespace : undefined,
  )
  if (!labels || !fields) {
    kubeStatus(ctx, 400, {message: 'unable to parse requirement: unsupported selector', reason: 'BadRequest'})
    return
  }

  const items = all.filter((o) => labels(o) && fields(o))
  const watch = ctx.query.get('watch')
  const version = requestedTableVersion(ctx)
  if (watch === 'true' || watch === '1') {
    // Nothing changes behind a client's back here: the events so far, then the stream ends.
    ctx.res.writeHead(200, {'Content-Type': 'application/json'})
    const from = ctx.query.get('resourceVersion')
    if (!from || from === '0') for (const o of items) ctx.res.write(`${JSON.stringify({object: version ? tableOf(ctx, version, resource, [o]) : o, type: 'ADDED'})}\n`)
    ctx.res.end()
    return
  }

  if (version) {
    sendJson(ctx.res, 200, tableOf(ctx, version, resource, items))
    return
  }

  sendJson(ctx.res, 200, {apiVersion: 'v1', items, kind: `${NAMESPACED[resource]!.kind}List`, metadata: {resourceVersion: String(resourceVersion)}})
}
