import type {Services} from '../services.js'

import {currentBackplaneCluster} from '../kube/current-cluster.js'

/** What `backplane status` shows about the current context. */
export interface StatusResult {
  backplaneServer: string
  clusterBasedomain: string
  clusterId: string
  clusterName: string
  context: string
}

/** The cluster of the current kubeconfig context (which must be a backplane one), as OCM knows it. */
export async function currentStatus(services: Services): Promise<StatusResult> {
  const {clusterId, context} = currentBackplaneCluster(await services.kubeconfig())
  const [cluster, backplaneServer] = await Promise.all([services.clusters.get(clusterId), services.backplaneUrl()])
  return {
    backplaneServer,
    clusterBasedomain: cluster.dns?.base_domain ?? '',
    clusterId: cluster.id,
    clusterName: cluster.name,
    context,
  }
}

/** The four lines shell prompts parse. */
export function statusLines(s: StatusResult): string[] {
  return [`Cluster ID: ${s.clusterId}`, `Cluster Name: ${s.clusterName}`, `Cluster Basedomain: ${s.clusterBasedomain}`, `Backplane Server: ${s.backplaneServer}`]
}
