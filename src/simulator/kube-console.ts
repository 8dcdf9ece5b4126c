// Cluster objects the `console` command reads, behind the Kubernetes API of kube.ts: the Deployments
// openshift-console/console and openshift-monitoring/monitoring-plugin (apps/v1), ConsolePlugins
// (console.openshift.io/v1) and the console operator config (operator.openshift.io/v1 consoles/cluster).
// Discovery (/apis, /apis/<group>, /apis/<group>/<version>) lists exactly what is served, so kubectl works.
import {createHash} from 'node:crypto'

import type {SimCluster} from './data.js'

import {type RequestContext, sendJson} from './http.js'
import {kubeStatus} from './kube.js'

interface ResourceInfo {
  kind: string
  name: string
  namespaced: boolean
  shortNames?: string[]
  singularName: string
}

const GROUPS: Record<string, {resources: ResourceInfo[]; version: string}> = {
  apps: {version: 'v1', resources: [{kind: 'Deployment', name: 'deployments', namespaced: true, shortNames: ['deploy'], singularName: 'deployment'}]},
  'console.openshift.io': {version: 'v1', resources: [{kind: 'ConsolePlugin', name: 'consoleplugins', namespaced: false, singularName: 'consoleplugin'}]},
  'operator.openshift.io': {version: 'v1', resources: [{kind: 'Console', name: 'consoles', namespaced: false, singularName: 'console'}]},
  // Discovery only (every object is NotFound): enough for `kubectl apply --dry-run=client` of RBAC.
  'rbac.authorization.k8s.io': {
    version: 'v1',
    resources: [
      {kind: 'ClusterRole', name: 'clusterroles', namespaced: false, singularName: 'clusterrole'},
      {kind: 'ClusterRoleBinding', name: 'clusterrolebindings', namespaced: false, singularName: 'clusterrolebinding'},
      {kind: 'Role', name: 'roles', namespaced: true, singularName: 'role'},
      {kind: 'RoleBinding', name: 'rolebindings', namespaced: true, singularName: 'rolebinding'},
    ],
  },
}

/** The APIGroup entries of /apis for the groups served here. */
export function consoleApiGroups(): unknown[] {
  return Object.entries(GROUPS).map(([name, g]) => apiGroup(name, g.version))
}

function apiGroup(name: string, version: string): unknown {
  const gv = {groupVersion: `${name}/${version}`, version}
  return {name, versions: [gv], preferredVersion: gv}
}

/** OpenShift minor version of the cluster ("4.15.3" → 15). */
function minorOf(cluster: SimCluster): number {
  return Number(cluster.openshift_version.split('.')[1] ?? 0)
}

function digestImage(what: string, cluster: SimCluster): string {
  return `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${createHash('sha256').update(`${what}:${cluster.openshift_version}`).digest('hex')}`
}

/** The image of container `console` in Deployment openshift-console/console. */
export function consoleImage(cluster: SimCluster): string {
  return digestImage('console', cluster)
}

/** The image of container `monitoring-plugin` in Deployment openshift-monitoring/monitoring-plugin (OpenShift ≥ 4.14). */
export function monitoringPluginImage(cluster: SimCluster): string {
  return digestImage('monitoring-plugin', cluster)
}

function uid(seed: string): string {
  const d = createHash('sha256').update(seed).digest('hex')
  return `${d.slice(0, 8)}-${d.slice(8, 12)}-4${d.slice(13, 16)}-a${d.slice(17, 20)}-${d.slice(20, 32)}`
}

function meta(cluster: SimCluster, name: string, namespace?: string): Record<string, unknown> {
  return {
    name,
    ...(namespace ? {namespace} : {}),
    uid: uid(`${cluster.id}/${namespace ?? ''}/${name}`),
    resourceVersion: String(parseInt(uid(name).slice(0, 6), 16)),
    creationTimestamp: cluster.creation_timestamp,
  }
}

function deployment(cluster: SimCluster, namespace: string, name: string, image: string, port: number): unknown {
  const labels = {app: name}
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {...meta(cluster, name, namespace), labels},
    spec: {
      replicas: 2,
      selector: {matchLabels: labels},
      template: {
        metadata: {labels},
        spec: {containers: [{name, image, ports: [{containerPort: port, name: 'https', protocol: 'TCP'}]}]},
      },
    },
    status: {replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, observedGeneration: 1},
  }
}

function deployments(cluster: SimCluster): Array<{name: string; namespace: string; object: unknown}> {
  const list = [{name: 'console', namespace: 'openshift-console', object: deployment(cluster, 'openshift-console', 'console', consoleImage(cluster), 8443)}]
  if (minorOf(cluster) >= 14) {
    list.push({
      name: 'monitoring-plugin',
      namespace: 'openshift-monitoring',
      object: deployment(cluster, 'openshift-monitoring', 'monitoring-plugin', monitoringPluginImage(cluster), 9443),
    })
  }

  return list.filter((d) => cluster.sim.namespaces.includes(d.namespace))
}

interface PluginSpec {
  basePath: string
  enabled: boolean
  name: string
  namespace: string
  port: number
  service: string
}

/** ConsolePlugins of the cluster: the monitoring plugin (≥ 4.14) and networking are enabled, ODF is not. */
export function consolePluginSpecs(cluster: SimCluster): PluginSpec[] {
  const plugins: PluginSpec[] = [
    {basePath: '/', enabled: true, name: 'networking-console-plugin', namespace: 'openshift-network-console', port: 9443, service: 'networking-console-plugin'},
    {basePath: '/', enabled: false, name: 'odf-console', namespace: 'openshift-storage', port: 9001, service: 'odf-console-service'},
  ]
  if (minorOf(cluster) >= 14) {
    plugins.unshift({basePath: '/', enabled: true, name: 'monitoring-plugin', namespace: 'openshift-monitoring', port: 9443, service: 'monitoring-plugin'})
  }

  return plugins
}

function consolePlugin(cluster: SimCluster, p: PluginSpec): unknown {
  return {
    kind: 'ConsolePlugin',
    apiVersion: 'console.openshift.io/v1',
    metadata: meta(cluster, p.name),
    spec: {
      displayName: p.name,
      backend: {type: 'Service', service: {name: p.service, namespace: p.namespace, port: p.port, basePath: p.basePath}},
    },
  }
}

function consoleOperator(cluster: SimCluster): unknown {
  return {
    kind: 'Console',
    apiVersion: 'operator.openshift.io/v1',
    metadata: meta(cluster, 'cluster'),
    spec: {managementState: 'Managed', plugins: consolePluginSpecs(cluster).filter((p) => p.enabled).map((p) => p.name)},
  }
}

function notFound(ctx: RequestContext, resource: string, name: string): void {
  kubeStatus(ctx, 404, {reason: 'NotFound', message: `${resource} "${name}" not found`, details: {name, group: resource.split('.').slice(1).join('.'), kind: resource.split('.')[0]!}})
}

function list(ctx: RequestContext, kind: string, apiVersion: string, items: unknown[]): void {
  sendJson(ctx.res, 200, {kind: `${kind}List`, apiVersion, metadata: {resourceVersion: '1'}, items})
}

/** Handles the paths above (rest = the path after /backplane/cluster/<id>/); false when the path is not one of them. */
export function handleConsoleObjects(ctx: RequestContext, cluster: SimCluster, rest: string[]): boolean {
  if (rest[0] !== 'apis' || rest.length < 2) return false
  const group = GROUPS[rest[1]!]
  if (!group) return false
  if (rest.length === 2) {
    sendJson(ctx.res, 200, {kind: 'APIGroup', apiVersion: 'v1', ...(apiGroup(rest[1]!, group.version) as object)})
    return true
  }

  if (rest[2] !== group.version) return false
  if (rest.length === 3) {
    sendJson(ctx.res, 200, {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: `${rest[1]}/${group.version}`,
      resources: group.resources.map((r) => ({...r, verbs: ['get', 'list']})),
    })
    return true
  }

  const path = rest.slice(3)
  switch (rest[1]) {
    case 'apps': {
      const all = deployments(cluster)
      if (path.length === 1 && path[0] === 'deployments') {
        list(ctx, 'Deployment', 'apps/v1', all.map((d) => d.object))
        return true
      }

      if (path[0] !== 'namespaces' || path[2] !== 'deployments' || path.length < 3 || path.length > 4) return false
      const namespace = path[1]!
      if (path.length === 3) {
        list(ctx, 'Deployment', 'apps/v1', all.filter((d) => d.namespace === namespace).map((d) => d.object))
        return true
      }

      const found = all.find((d) => d.namespace === namespace && d.name === path[3])
      if (found) sendJson(ctx.res, 200, found.object)
      else notFound(ctx, 'deployments.apps', path[3]!)
      return true
    }

    case 'console.openshift.io': {
      if (path[0] !== 'consoleplugins' || path.length > 2) return false
      const plugins = consolePluginSpecs(cluster)
      if (path.length === 1) {
        list(ctx, 'ConsolePlugin', 'console.openshift.io/v1', plugins.map((p) => consolePlugin(cluster, p)))
        return true
      }

      const found = plugins.find((p) => p.name === path[1])
      if (found) sendJson(ctx.res, 200, consolePlugin(cluster, found))
      else notFound(ctx, 'consoleplugins.console.openshift.io', path[1]!)
      return true
    }

    case 'operator.openshift.io': {
      if (path[0] !== 'consoles' || path.length > 2) return false
      if (path.length === 1) list(ctx, 'Console', 'operator.openshift.io/v1', [consoleOperator(cluster)])
      else if (path[1] === 'cluster') sendJson(ctx.res, 200, consoleOperator(cluster))
      else notFound(ctx, 'consoles.operator.openshift.io', path[1]!)
      return true
    }
  }

  return false
}
