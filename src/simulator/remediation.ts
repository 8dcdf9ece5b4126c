// backplane-api's remediation instances: POST /backplane/remediation/{clusterId}?remediationName=…[&managingCluster=…]
// creates one (a service account and its RBAC, on the real service) and answers its proxy URI,
// /backplane/remediate/{clusterId}/{instanceId}/, which kube.ts serves while the instance exists; DELETE
// …?remediationInstanceId=… removes it.
import {randomBytes} from 'node:crypto'

import type {SimCluster} from './data.js'

import {backplaneError} from './backplane.js'
import {type RequestContext, type SimState, sendJson} from './http.js'

/** The remediations the simulator knows. */
export const REMEDIATIONS = ['etcd-defrag', 'restart-ingress-router', 'clear-stuck-upgrade']

const MANAGING = ['hive', 'management', 'service']

export function handleRemediation(ctx: RequestContext, state: SimState, clusterId: string, username: string): void {
  const cluster = state.clusters.find((c) => c.id === clusterId)
  if (!cluster) {
    backplaneError(ctx, 404, `cluster ${clusterId} not found`)
    return
  }

  if (cluster.sim.loginForbidden) {
    backplaneError(ctx, 403, `user ${username} is not allowed to access cluster ${cluster.id}`)
    return
  }

  const managing = ctx.query.get('managingCluster') ?? undefined
  if (managing !== undefined && !MANAGING.includes(managing)) {
    backplaneError(ctx, 400, `invalid managingCluster "${managing}": expected hive, management or service`)
    return
  }

  if (ctx.method === 'POST') {
    create(ctx, state, cluster, managing, username)
    return
  }

  if (ctx.method === 'DELETE') {
    const id = ctx.query.get('remediationInstanceId')
    if (!id) {
      backplaneError(ctx, 400, 'query parameter remediationInstanceId is required')
      return
    }

    const instance = state.remediations.get(id)
    if (!instance || instance.clusterId !== cluster.id) {
      backplaneError(ctx, 404, `remediation instance ${id} not found on cluster ${cluster.id}`)
      return
    }

    state.remediations.delete(id)
    ctx.res.writeHead(200, {'Content-Length': 0})
    ctx.res.end()
    return
  }

  backplaneError(ctx, 405, `method ${ctx.method} not allowed on ${ctx.path}`)
}

function create(ctx: RequestContext, state: SimState, cluster: SimCluster, managing: string | undefined, username: string): void {
  const name = ctx.query.get('remediationName')
  if (!name) {
    backplaneError(ctx, 400, 'query parameter remediationName is required')
    return
  }

  if (!REMEDIATIONS.includes(name)) {
    backplaneError(ctx, 404, `remediation ${name} not found`)
    return
  }

  if (cluster.status.state !== 'ready') {
    backplaneError(ctx, 400, `cluster ${cluster.name} (${cluster.id}) is not ready: its state is ${cluster.status.state}`)
    return
  }

  const target = managing ? managingCluster(state, cluster, managing) : cluster
  if (!target) {
    backplaneError(ctx, 400, `cluster ${cluster.name} has no ${managing} cluster`)
    return
  }

  const instanceId = `rem-${randomBytes(4).toString('hex')}`
  state.remediations.set(instanceId, {clusterId: cluster.id, instanceId, managingCluster: managing, name, proxyClusterId: target.id, user: username})
  sendJson(ctx.res, 200, {
    message: `remediation ${name} instantiated on cluster ${target.name}`,
    proxy_uri: `/backplane/remediate/${target.id}/${instanceId}/`,
    remediationInstanceId: instanceId,
    statusCode: 200,
  })
}

function managingCluster(state: SimState, cluster: SimCluster, managing: string): SimCluster | undefined {
  const byName = (name: string | undefined) => (name ? state.clusters.find((c) => c.name === name) : undefined)
  if (managing === 'hive') return cluster.hypershift.enabled ? undefined : state.clusters.find((c) => c.api.url === cluster.sim.provisionShard)
  if (!cluster.hypershift.enabled) return undefined
  const mc = byName(cluster.sim.managementCluster)
  return managing === 'management' ? mc : byName(mc?.sim.serviceCluster)
}
