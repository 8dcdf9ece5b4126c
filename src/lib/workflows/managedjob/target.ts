// The cluster a script or managed-job command acts on: its scripts API, its state.
import type {Services} from '../../services.js'

import {ScriptsApi} from '../../backplane/scripts.js'
import {CliError} from '../../errors.js'
import {clusterState, type OcmCluster} from '../../ocm/clusters.js'
import {RelatedClusters} from '../../ocm/related-clusters.js'
import type {TargetCluster} from '../target-cluster.js'

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

/** `--manager` (as Go's): the cluster that manages the target instead (HyperShift management cluster, or Hive shard). */
export async function managingCluster(services: Services, target: TargetCluster): Promise<TargetCluster> {
  const cluster = target.cluster ?? (await services.clusters.get(target.id))
  const related = await new RelatedClusters(services.ocm).find(cluster, 'manager')
  return {cluster: related.cluster, id: related.cluster.id}
}
