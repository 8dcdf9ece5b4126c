// OCM's views of the clusters around a cluster (what `login --manager` / `--service` follow):
//   GET /api/clusters_mgmt/v1/clusters/{id}/hypershift        HyperShift: {management_cluster, hcp_namespace}
//   GET /api/clusters_mgmt/v1/clusters/{id}/provision_shard   classic: {hive_config: {server}}
//   GET /api/osd_fleet_mgmt/v1/management_clusters?search=…   a management cluster's parent (its service cluster)
import type {SimCluster} from './data.js'

import {OCM_ENVIRONMENT_NAME} from './data.js'
import {type RequestContext, type SimState, sendJson} from './http.js'
import {ocmError} from './ocm.js'
import {SearchSyntaxError, evaluateSearch, parseSearch, searchFields} from './search.js'

/** Handles the routes above; false when the path is none of them. */
export function handleRelatedClusters(ctx: RequestContext, state: SimState, segments: string[]): boolean {
  const route = segments.join('/')
  const sub = segments.length === 6 && route.startsWith('api/clusters_mgmt/v1/clusters/') ? segments[5] : undefined
  if (sub === 'hypershift' || sub === 'provision_shard') {
    if (ctx.method !== 'GET') {
      ocmError(ctx, 405, `Method '${ctx.method}' is not allowed for '${ctx.path}'`)
      return true
    }

    const cluster = state.clusters.find((c) => c.id === segments[4])
    if (!cluster) ocmError(ctx, 404, `Cluster '${segments[4]}' not found`)
    else if (sub === 'hypershift') hypershift(ctx, cluster)
    else provisionShard(ctx, cluster)
    return true
  }

  if (route === 'api/osd_fleet_mgmt/v1/management_clusters') {
    if (ctx.method === 'GET') managementClusters(ctx, state)
    else ocmError(ctx, 405, `Method '${ctx.method}' is not allowed for '${ctx.path}'`)
    return true
  }

  return false
}

function hypershift(ctx: RequestContext, cluster: SimCluster): void {
  if (!cluster.hypershift.enabled || !cluster.sim.managementCluster) {
    ocmError(ctx, 404, `Cluster '${cluster.id}' is not a hosted control plane cluster`)
    return
  }

  const hcNamespace = `ocm-${OCM_ENVIRONMENT_NAME}-${cluster.id}`
  sendJson(ctx.res, 200, {
    kind: 'HypershiftConfig',
    enabled: true,
    hcp_namespace: `${hcNamespace}-${cluster.domain_prefix}`,
    management_cluster: cluster.sim.managementCluster,
  })
}

function provisionShard(ctx: RequestContext, cluster: SimCluster): void {
  if (!cluster.sim.provisionShard) {
    ocmError(ctx, 404, `Provision shard for cluster '${cluster.id}' not found`)
    return
  }

  sendJson(ctx.res, 200, {
    kind: 'ProvisionShard',
    id: `shard-${cluster.sim.provisionShard.replace(/\W+/g, '-')}`,
    hive_config: {server: cluster.sim.provisionShard},
    status: 'active',
  })
}

function managementClusters(ctx: RequestContext, state: SimState): void {
  const search = ctx.query.get('search') ?? ''
  let expr
  try {
    expr = parseSearch(search)
    const unknown = searchFields(expr).find((f) => f !== 'name')
    if (unknown !== undefined) throw new SearchSyntaxError(`'${unknown}' is not a valid field name`)
  } catch (error) {
    if (!(error instanceof SearchSyntaxError)) throw error
    ocmError(ctx, 400, `Can't parse search query '${search}': ${error.message}`)
    return
  }

  const items = state.clusters
    .filter((c) => c.sim.serviceCluster && evaluateSearch(expr, (field) => (field === 'name' ? c.name : undefined)))
    .map((c) => ({
      kind: 'ManagementCluster',
      id: c.id,
      href: `/api/osd_fleet_mgmt/v1/management_clusters/${c.id}`,
      name: c.name,
      cluster_management_reference: {cluster_id: c.id},
      parent: {kind: 'ServiceCluster', name: c.sim.serviceCluster},
      status: 'ready',
    }))
  sendJson(ctx.res, 200, {kind: 'ManagementClusterList', page: 1, size: items.length, total: items.length, items})
}
