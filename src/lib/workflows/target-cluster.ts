// Which cluster a command acts on: the one the user names (id, external id, name or %pattern%, resolved
// through OCM), else the cluster of the current backplane kubeconfig context.
import type {Services} from '../services.js'

import {CliError} from '../errors.js'
import {currentBackplaneCluster, findCurrentBackplaneCluster} from '../kube/current-cluster.js'
import {type OcmCluster, validateClusterKey} from '../ocm/clusters.js'

/** The error of the commands with -c/--cluster-id when there is no backplane context. */
export const NO_CLUSTER = () => new CliError('no cluster', {code: 'NO_CLUSTER', hint: 'log in first or pass --cluster-id'})

export type ClusterPicker = (candidates: OcmCluster[]) => Promise<OcmCluster>

export interface TargetCluster {
  /** The OCM cluster, when it was resolved through OCM (always when named). */
  cluster?: OcmCluster
  id: string
}

export interface TargetOptions {
  /** The hint when there is no backplane context (see currentBackplaneCluster). */
  hint?: string
  /** The error when there is no backplane context, instead of currentBackplaneCluster's. */
  missing?: () => CliError
  /** Chooses among several matches (a picker on a terminal); without one, several matches are an error. */
  pick?: ClusterPicker
}

export async function targetCluster(services: Services, key: string | undefined, o: TargetOptions = {}): Promise<TargetCluster> {
  if (key !== undefined) {
    const cluster = await services.clusters.resolve(validateClusterKey(key), o.pick)
    return {cluster, id: cluster.id}
  }

  const set = await services.kubeconfig()
  if (o.missing) {
    const found = findCurrentBackplaneCluster(set)
    if (!found) throw o.missing()
    return {id: found.clusterId}
  }

  return {id: currentBackplaneCluster(set, o.hint).clusterId}
}
