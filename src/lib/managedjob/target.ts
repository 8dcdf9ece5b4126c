// Which cluster a script or managed-job command acts on: --cluster-id (resolved through OCM), else the
// cluster of the current kubeconfig context (a backplane context: server path /backplane/cluster/<id>/).
import type {Services} from '../services.js'

import {ScriptsApi} from '../backplane/scripts.js'
import {CliError} from '../errors.js'
import {findCurrentBackplaneCluster} from '../kube/current-cluster.js'
import {clusterState, type OcmCluster, validateClusterKey} from '../ocm/clusters.js'

export interface TargetCluster {
  /** The OCM cluster, when it was resolved through OCM (always for --cluster-id). */
  cluster?: OcmCluster
  id: string
  source: 'flag' | 'kubeconfig'
}

export const NO_CLUSTER = () => new CliError('no cluster', {code: 'NO_CLUSTER', hint: 'log in first or pass --cluster-id'})

/** The cluster id of the current kubeconfig context, when it is a backplane context. */
export async function clusterFromKubeconfig(services: Services): Promise<string | undefined> {
  return findCurrentBackplaneCluster(await services.kubeconfig())?.clusterId
}

export async function targetCluster(
  services: Services,
  key: string | undefined,
  pick?: (candidates: OcmCluster[]) => Promise<OcmCluster>,
): Promise<TargetCluster> {
  if (key !== undefined) {
    const cluster = await services.clusters.resolve(validateClusterKey(key), pick)
    return {cluster, id: cluster.id, source: 'flag'}
  }

  const id = await clusterFromKubeconfig(services)
  if (!id) throw NO_CLUSTER()
  return {id, source: 'kubeconfig'}
}

/** The script and job API of the target cluster. */
export async function scriptsApi(services: Services, target: TargetCluster): Promise<ScriptsApi> {
  return new ScriptsApi(await services.backplane(), target.id)
}

/** Refuse a hibernating cluster (its OCM state), before anything is sent to backplane. */
export async function assertNotHibernating(services: Services, target: TargetCluster): Promise<OcmCluster> {
  const cluster = target.cluster ?? (await services.clusters.get(target.id))
  if (clusterState(cluster) === 'hibernating') {
    throw new CliError(`cluster ${cluster.name} is hibernating`, {code: 'HIBERNATING', hint: 'resume it before running a script on it'})
  }

  return cluster
}

/** A cluster picker when a person is at the terminal (and no --json), else none: several matches are an error. */
export async function interactivePicker(json: boolean): Promise<((candidates: OcmCluster[]) => Promise<OcmCluster>) | undefined> {
  if (json || !process.stdin.isTTY || !process.stderr.isTTY) return undefined
  const {pickCluster} = await import('../output/pick-cluster.js')
  return pickCluster
}
